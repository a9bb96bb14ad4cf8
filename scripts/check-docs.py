#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every command the docs show works as shown.

Reads the ```sh blocks of README.md, SECURITY.md, docs/*.md and the
READMEs under policy/, examples/ and include/, and runs what they show,
in a short form, from a clean clone of the checkout (so that a target
that only works after another stage built something fails here too):

  make TARGET ...   in the clone, with the few variables that make a
                    long run short (SHORT below) added: one workload of
                    make bench and make compat, STRESS_SECONDS=10,
                    FUZZ_SECONDS=5, DESTDIR for make install.  make check
                    is what runs this, so it is only checked to exist.
  policyc ...       on the host, in the clone's top directory, with the
                    clone's build/user/bin first in PATH;
  kcage ...         in a guest (the stock kernel under QEMU, tests/vm),
                    each block that shows one run as a script in the
                    order the docs give, in a directory that holds the
                    example policies and modules by the names the docs
                    use (examples/, policy/, kc_hello.ko, kcage.ko);
                    lines of such a block that run other programs the
                    guest has (insmod, modprobe, rmmod, cat, echo, dmesg)
                    run there too.  kcage monitor, which runs until
                    stopped, works if it still runs after 3 seconds.

Other lines (apt, dkms, systemctl, git, ...: what a real machine runs)
are listed as not run.  Prints PASS/FAIL lines "docs: COMMAND (FILE:LINE)"
for make check's results; exits 1 on any failure.

  check-docs.py [--list] [--results FILE] [--keep]
"""
import argparse
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLONE = os.path.join(TOP, 'build', 'docs-clone')

# What makes a documented target short enough to run in make check.
# Forced: they replace what the docs give.
SHORT = {
    'stress': {'STRESS_SECONDS': '10'},
    'fuzz': {'FUZZ_SECONDS': '5'},
    'bench': {'BENCH_VM_TESTS': 'forms'},
    'bench-vm': {'BENCH_VM_TESTS': 'forms'},
    'compat': {'COMPAT_TESTS': 'vfat'},
}
# Added only where the docs give none.
DEFAULTS = {
    'vm': {'TESTS': 'xlate_kc_hello'},
    'vm-debug': {'TESTS': 'xlate_kc_hello'},
    'install': {'DESTDIR': '@TMP@/install'},
    'uninstall': {'DESTDIR': '@TMP@/install'},
    'distclean': {'KCAGE_CACHE': '@TMP@/no-cache'},
}
NOT_RUN_TARGETS = {'check': 'make check is what runs this check'}
# A target whose recipe another documented one runs in full is checked by
# that one (make bench is bench-vm then bench-user; make is kmod, modules,
# user; make vm-debug builds the debug kernel and kcage.ko for it;
# compat-check is compat with make check's workloads).
COVERED_BY = {'bench-vm': 'bench', 'bench-user': 'bench', 'kmod': 'all',
              'modules': 'all', 'user': 'all', 'debug-kernel': 'vm-debug',
              'kmod-debug': 'vm-debug', 'compat-check': 'compat'}
# Variables that change what a run shows or where its table goes, not what
# it runs.
DISPLAY_VARS = {'STREAM', 'COMPAT_DOCS'}
LAST_TARGETS = ['clean', 'distclean']	# they delete what the others need
GUEST_PROGRAMS = {'kcage', 'policyc', 'insmod', 'modprobe', 'rmmod', 'cat',
                  'echo', 'dmesg', 'lsmod'}
SHELL_LANGS = {'sh', 'shell', 'bash'}


class Command:
    def __init__(self, path, line, text, block):
        self.path = os.path.relpath(path, TOP)
        self.line = line
        self.text = text
        self.block = block
        words = shlex.split(text, comments=True)
        if words and words[0] == 'sudo':
            words = words[1:]
        self.words = words

    @property
    def program(self):
        return self.words[0] if self.words else ''

    def where(self):
        return '%s:%d' % (self.path, self.line)


def doc_files():
    names = ['README.md', 'SECURITY.md']
    names += sorted(glob.glob(os.path.join(TOP, 'docs', '*.md')))
    for d in ['policy', 'examples', 'include']:
        names += sorted(glob.glob(os.path.join(TOP, d, '**', 'README.md'), recursive=True))
    return [os.path.join(TOP, n) for n in names if os.path.exists(os.path.join(TOP, n))]


def commands(path):
    """The commands of the shell blocks of @path, with their blocks."""
    out, block, lang, pending, start = [], None, None, '', 0
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            fence = re.match(r'^\s*```\s*(\S*)', line)
            if fence:
                if lang is None:
                    lang = fence.group(1).lower()
                    block = (os.path.relpath(path, TOP), n)
                else:
                    lang = None
                continue
            if lang not in SHELL_LANGS:
                continue
            text = re.sub(r'^\s*[$#]\s+(?=\S)', '', line) if re.match(r'^\s*\$ ', line) else line
            if pending:
                text = pending + ' ' + text.strip()
            else:
                start = n
            if text.rstrip().endswith('\\'):
                pending = text.rstrip()[:-1]
                continue
            pending = ''
            if not text.strip() or text.strip().startswith('#'):
                continue
            try:
                cmd = Command(path, start, text.strip(), block)
            except ValueError:
                cmd = None
            if cmd and cmd.words:
                out.append(cmd)
    return out


def make_targets():
    targets = set()
    with open(os.path.join(TOP, 'Makefile')) as f:
        for line in f:
            m = re.match(r'^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)', line)
            if m:
                targets.update(m.group(1).split())
    return targets


def make_goals(cmd):
    return [a for a in cmd.words[1:] if '=' not in a and not a.startswith('-')]


def short_make(cmd, tmp):
    """The make command line to run for @cmd, or (None, why) if none."""
    args = cmd.words[1:]
    goals = [a for a in args if '=' not in a and not a.startswith('-')]
    given = dict(a.split('=', 1) for a in args if '=' in a and not a.startswith('-'))
    for g in goals:
        if g in NOT_RUN_TARGETS:
            return None, NOT_RUN_TARGETS[g]
    known = make_targets()
    unknown = [g for g in goals if g not in known]
    if unknown:
        return ['false'], 'no target %s in the Makefile' % ' '.join(unknown)
    vars_ = dict(given)
    for g in goals:
        for k, v in DEFAULTS.get(g, {}).items():
            vars_.setdefault(k, v.replace('@TMP@', tmp))
        vars_.update(SHORT.get(g, {}))
    return ['make', '--no-print-directory'] + goals + ['%s=%s' % kv for kv in vars_.items()], None


def run(argv, cwd, env=None, log=None):
    with open(log, 'w') if log else open(os.devnull, 'w') as out:
        p = subprocess.run(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    return p.returncode


def guest_script(blocks):
    """A tests/vm test that runs each kcage block, reporting each line."""
    kmods = sorted({'?' + x.words[1] for _, cs in blocks for x in cs
                    if x.words[0] == 'modprobe' and len(x.words) > 1})
    lines = [
        '#!/bin/sh',
        '# The docs\' commands that run kcage (scripts/check-docs.py).',
        '# timeout: 600',
        '# kernels: stock',
        '# kmods: ' + ' '.join(kmods) if kmods else '#',
        '. /tests/lib.sh',
        'd=/tmp/docs; mkdir -p $d; cd $d',
        'ln -s /kcage/src/examples examples; ln -s /kcage/src/policy policy',
        'ln -s /kcage/kcage.ko kcage.ko',
        'for ko in $MODDIR/*.ko; do ln -s $ko .; done',
        'rc=0',
        'loaded() { grep -q "^kcage " /proc/modules; }',
    ]
    for i, (block, cmds) in enumerate(blocks):
        lines.append('# %s:%d' % block)
        for j, c in enumerate(cmds):
            tag = '%d.%d' % (i, j)
            words = list(c.words)
            if words[0] == 'kcage':
                lines.append('loaded || load_kcage')
            # The line as shown (redirections, '&' and all), minus sudo.
            q = re.sub(r'^sudo\s+', '', re.sub(r'\s+#.*$', '', c.text))
            if words[:2] == ['kcage', 'monitor'] and not q.rstrip().endswith('&'):
                # it works if it is still following after 3 s (stopped
                # then, it exits 0, as on Ctrl-C)
                q = ('sh -c %s & p=$!; sleep 3; kill -0 $p || { wait $p; exit 1; }; '
                     'kill $p; wait $p; exit 0' % shlex.quote(q))
            lines.append('if ( %s ) >/tmp/docs-%s.out 2>&1; then echo "docs-cmd ok %s"; '
                         'else echo "docs-cmd fail %s"; sed "s/^/    /" /tmp/docs-%s.out; rc=1; fi'
                         % (q, tag, tag, tag, tag))
    lines.append('exit $rc')
    return '\n'.join(lines) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--list', action='store_true', help='only list what would run')
    ap.add_argument('--results', help='append PASS/FAIL lines here')
    ap.add_argument('--keep', action='store_true', help='reuse an existing clone')
    ap.add_argument('--guest-only', action='store_true',
                    help='only the kcage blocks in the guest (to work on them)')
    args = ap.parse_args()

    cmds = [c for p in doc_files() for c in commands(p)]
    makes = [c for c in cmds if c.program == 'make']
    blocks = {}
    for c in cmds:
        if c.program == 'kcage':
            blocks.setdefault(c.block, [])
    # policyc on the host where its block does not go on in the guest
    host = [c for c in cmds if c.program == 'policyc' and c.block not in blocks]
    guest = [(b, [c for c in cmds if c.block == b and c.program in GUEST_PROGRAMS])
             for b in blocks]
    shown = {id(c) for c in makes + host} | {id(c) for _, cs in guest for c in cs}
    skipped = [c for c in cmds if id(c) not in shown]

    results = []

    def record(ok, cmd, why=''):
        line = '%s docs: %s (%s)%s' % ('PASS' if ok else 'FAIL', cmd.text, cmd.where(),
                                       ': ' + why if why else '')
        results.append(line)
        print(line, flush=True)

    if args.list:
        for c in makes + host:
            print('host  %-12s %s' % (c.where(), c.text))
        for _, cs in guest:
            for c in cs:
                print('guest %-12s %s' % (c.where(), c.text))
        for c in skipped:
            print('not run %-10s %s' % (c.where(), c.text))
        return 0

    tmp = os.path.join(TOP, 'build', 'docs-tmp')
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    if not (args.keep and os.path.isdir(CLONE)):
        shutil.rmtree(CLONE, ignore_errors=True)
        subprocess.run(['git', 'clone', '-q', '--no-hardlinks', TOP, CLONE], check=True)
    env = dict(os.environ)
    env.pop('MAKEFLAGS', None)
    env.pop('MAKELEVEL', None)

    # Build what the host and guest commands need, as a newcomer would.
    rc = run(['make', '--no-print-directory', 'kmod', 'modules', 'user'], CLONE, env,
             os.path.join(tmp, 'build.log'))
    if rc:
        print(open(os.path.join(tmp, 'build.log')).read()[-3000:])

    # One run per distinct command (display variables aside: the run
    # with most variables stands for the others), covered targets last.
    if args.guest_only:
        makes, host = [], []
    runs, later, covered = {}, [], []
    goals_shown = {g for c in makes for g in (make_goals(c) or ['all'])}
    for c in makes:
        argv, why = short_make(c, tmp)
        if argv is None:
            print('not run: %s (%s): %s' % (c.text, c.where(), why))
            continue
        goals = make_goals(c) or ['all']
        if why is None and all(COVERED_BY.get(g) in goals_shown for g in goals):
            covered.append(c)
            continue
        key = tuple(a for a in argv if a.split('=', 1)[0] not in DISPLAY_VARS)
        if key not in runs or len(argv) > len(runs[key][1]):
            runs[key] = (c, argv, why)
    outcome = {}
    for key, (c, argv, why) in runs.items():
        if any(g in LAST_TARGETS for g in make_goals(c)):
            later.append((c, argv))
            continue
        log = os.path.join(tmp, 'make-%d.log' % len(outcome))
        t0 = time.time()
        ok = not why and run(argv, CLONE, env, log) == 0
        if not ok and os.path.exists(log):
            print(open(log).read()[-3000:])
        for g in make_goals(c) or ['all']:
            outcome[g] = outcome.get(g, True) and ok
        record(ok, c, '%s[%ds: make %s]' % (
            why + ' ' if why else '' if ok else 'exited non-zero, see %s ' % log,
            time.time() - t0, ' '.join(argv[2:])))
    for c in makes:
        if c in covered:
            by = {COVERED_BY[g] for g in make_goals(c) or ['all']}
            record(all(outcome.get(b, False) for b in by), c,
                   'run as part of make %s' % ' '.join(sorted(by)))
        elif all(runs.get(k, (None,))[0] is not c for k in runs) and \
                not any(g in NOT_RUN_TARGETS for g in make_goals(c)):
            record(all(outcome.get(g, False) for g in make_goals(c) or ['all']), c,
                   'the same run as another line')

    path = os.path.join(CLONE, 'build', 'user', 'bin') + os.pathsep + env['PATH']
    henv = dict(env, PATH=path)
    for c in host:
        log = os.path.join(tmp, 'policyc-%d.log' % c.line)
        ok = run(c.words, CLONE, henv, log) == 0
        record(ok, c, '' if ok else open(log).read().strip()[-500:])

    if guest:
        tdir = os.path.join(tmp, 'guest')
        os.makedirs(tdir)
        with open(os.path.join(tdir, 'docs_commands.sh'), 'w') as f:
            f.write(guest_script(guest))
        log = os.path.join(tmp, 'guest.log')
        run(['make', '--no-print-directory', 'vm', 'TESTS_DIR=' + tdir,
             'WORK_SUFFIX=-docs'], CLONE, env, log)
        out = open(log).read()
        console = os.path.join(CLONE, 'build', 'stock', 'vm-docs', 'console.log')
        text = open(console, errors='replace').read() if os.path.exists(console) else ''
        for i, (_, cs) in enumerate(guest):
            for j, c in enumerate(cs):
                m = re.search(r'docs-cmd (ok|fail) %d\.%d\b' % (i, j), text)
                if not m:
                    record(False, c, 'did not run in the guest (%s)' % console)
                else:
                    record(m.group(1) == 'ok', c, '' if m.group(1) == 'ok' else 'see ' + console)
        if 'PASS docs_commands' not in out and not any(r.startswith('FAIL') for r in results):
            print(out[-3000:])
            results.append('FAIL docs: the guest run of the docs\' kcage commands failed (%s)' % log)

    for c, argv in later:
        log = os.path.join(tmp, 'make-last-%s.log' % c.line)
        ok = run(argv, CLONE, env, log) == 0
        record(ok, c, '' if ok else 'exited non-zero, see %s' % log)

    for c in skipped:
        print('not run: %s (%s): not a make, policyc or kcage command' % (c.text, c.where()))
    if args.results:
        with open(args.results, 'a') as f:
            f.write(''.join(r + '\n' for r in results))
    return 1 if any(r.startswith('FAIL') for r in results) else 0


if __name__ == '__main__':
    sys.exit(main())
