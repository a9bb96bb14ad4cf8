#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that kmod/'s layers depend only downwards.

The layers, bottom to top (docs/architecture.md):

  core     host-free translator core: decode, emit, blocks, links, map
  rt       kernel runtime: code cache, symbols, counters, hooks, heaps,
           the per-task zone
  sandbox  the registry of sandboxes, sites, taken functions, the policy
           store, violation records and the event ring
  dbt      the translator runtime: xlate, lookup, flush, entries, gate,
           dispatchers, fixups, unwinding, containment, traps
  enforce  CFI, bounds, pivots, privileged instructions, shadow stack,
           access decisions, API rules, grants, learn mode
  control  takeover and release, watch, inspect, poison, netlink, debugfs
  kunit, main.c  on top

A file may include a header and use a symbol (function, variable,
assembly label) of its own layer or of a layer below.  The one way up
is the translator's seam: dbt/ calls into enforce/ only through the
functions dbt/instrument.h declares.  Prints each offending use as
file:line and exits 1; prints one PASS/FAIL line for make check.
"""
import os
import re
import sys

LAYERS = ['core', 'rt', 'sandbox', 'dbt', 'enforce', 'control', 'kunit', '.']
SEAM = 'dbt/instrument.h'
SYMBOL = re.compile(r'\b(kcage_\w+|kc_\w+)\b')
FUNC_DEF = re.compile(r'^(?!static\b)[A-Za-z_][\w \*]*?\b(kcage_\w+|kc_\w+)\s*\([^;{]*?\)\s*\{',
                      re.M | re.S)
VAR_DEF = re.compile(r'^(?:DEFINE_PER_CPU\w*\([^,]+,\s*|(?!static\b|extern\b)[A-Za-z_][\w \*]*?\b)'
                     r'(kcage_\w+)\s*(?:\)|=|;|\[|__ro_after_init|__read_mostly)', re.M)
ASM_DEF = re.compile(r'(?:SYM_\w+_START\w*|SYM_DATA\w*)\(\s*(\w+)')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    top = path.split('/', 1)[0] if '/' in path else '.'
    return LAYERS.index(top) if top in LAYERS else None


def strip_comments(text):
    # Keep line numbers: replace each comment by its newlines.
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def line_of(text, pos):
    return text.count('\n', 0, pos) + 1


def sources(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in ('zydis', 'zycore', 'policy', 'include')]
        for f in files:
            if f.endswith(('.c', '.h', '.S')):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def violations(root):
    """Every use in the tree at @root that goes up the layers."""
    files = sources(root)
    text = {f: strip_comments(open(os.path.join(root, f)).read()) for f in files}
    defs = {}
    for f in files:
        if f.endswith('.c'):
            for rx in (FUNC_DEF, VAR_DEF):
                for m in rx.finditer(text[f]):
                    defs.setdefault(m.group(1), f)
        elif f.endswith('.S'):
            for m in ASM_DEF.finditer(text[f]):
                defs.setdefault(m.group(1), f)
    seam = set(SYMBOL.findall(text.get(SEAM, '')))
    bad = []
    for f in files:
        mine = layer_of(f)
        if mine is None:
            bad.append('%s: not in a layer folder' % f)
            continue
        for m in INCLUDE.finditer(text[f]):
            inc = m.group(1)
            if inc.startswith(('policy/', 'kcage/')):
                continue
            target = inc if '/' in inc else os.path.normpath(
                os.path.join(os.path.dirname(f), inc))
            if not os.path.exists(os.path.join(root, target)):
                bad.append('%s:%d: includes "%s", which is not in kmod/' %
                           (f, line_of(text[f], m.start()), inc))
                continue
            if layer_of(target) > mine:
                bad.append('%s:%d: includes %s, a layer above' %
                           (f, line_of(text[f], m.start()), target))
        for m in SYMBOL.finditer(text[f]):
            name = m.group(1)
            owner = defs.get(name)
            if not owner or owner == f or layer_of(owner) <= mine:
                continue
            if name in seam and LAYERS[mine] == 'dbt' and owner.startswith('enforce/'):
                continue
            bad.append('%s:%d: uses %s of %s, a layer above%s' %
                       (f, line_of(text[f], m.start()), name, owner,
                        ' (not in the seam, %s)' % SEAM if LAYERS[mine] == 'dbt' else ''))
    return sorted(set(bad)), len(files)


# A tree with one use of each kind that must be refused, and the seam's
# one allowed way up: the check must find exactly the refused ones.
SELF_TEST = {
    'core/a.c': '#include "rt/b.h"\nvoid kc_a(void) { kcage_b(); }\n',
    'rt/b.h': 'void kcage_b(void);\n',
    'rt/b.c': '#include "b.h"\nvoid kcage_b(void) { }\nvoid kcage_b2(void) { kcage_e(); }\n',
    'dbt/instrument.h': 'void kcage_e(void);\n',
    'dbt/x.c': '#include "instrument.h"\nvoid kcage_x(void) { kcage_e(); kcage_f(); }\n',
    'enforce/e.c': 'void kcage_e(void) { }\nvoid kcage_f(void) { }\n',
}
SELF_TEST_EXPECT = ['core/a.c:1: includes rt/b.h', 'core/a.c:2: uses kcage_b',
                    'dbt/x.c:2: uses kcage_f', 'rt/b.c:3: uses kcage_e']


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in SELF_TEST.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(name)), exist_ok=True)
            with open(os.path.join(tmp, name), 'w') as f:
                f.write(text)
        bad, _ = violations(tmp)
    found = [b for b in bad if any(b.startswith(e) for e in SELF_TEST_EXPECT)]
    return len(found) == len(SELF_TEST_EXPECT) == len(bad), bad


def main():
    ok, got = self_test()
    if not ok:
        print('FAIL layers: the check itself is broken: on its test tree it found %s' % got)
        return 1
    bad, nfiles = violations(sys.argv[1] if len(sys.argv) > 1 else 'kmod')
    for b in bad:
        print(b, file=sys.stderr)
    if bad:
        print('FAIL layers: %d uses go up the layers of kmod/' % len(bad))
        return 1
    print('PASS layers: %d sources, every include and call goes down' % nfiles)
    return 0


if __name__ == '__main__':
    sys.exit(main())
