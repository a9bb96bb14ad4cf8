#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run kcage's VM tests: build an initramfs, boot a kernel under QEMU,
run the named tests in one boot and turn the serial console into
pass/fail per test.

A test is tests/vm/tests/<name>.sh, a busybox sh script run as root in the
guest; exit status 0 means it passed.  Header comments configure it:

    # kernels: stock debug      kernels it runs on (default: both)
    # smp: 4                    CPUs it needs (the VM gets the maximum)
    # timeout: 120              seconds (default 60)
    # kmods: brd ext4 ?nls_ascii Debian modules to ship (with dependencies;
                                ?name: only if this kernel has it as a module)
    # expect-splat: WARNING:    a console pattern this test may produce
    # ktap: yes                 report the KUnit cases it prints one by one
    # stress: yes               runs for kcage_stress= seconds when --stress
                                is given (its timeout grows by as much)
    # host-tools: ip wg         host programs it needs shipped too (added to
                                --host-tools)
    # qemu: -device e1000 ...   QEMU arguments it needs (emulated NICs); the
                                boot's command line gets those of all its tests

Files in the tests directory's lib/ (tests/bench/vm/lib) ship as
/tests/lib/, for its tests to source.

A test also fails if, between its BEGIN and END markers, the console shows
a kernel splat (BUG, Oops, WARNING, GPF, panic, lockup, RCU stall, hung
task, KASAN/UBSAN report) that it did not declare, or if it does not end
before its timeout.
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

SPLATS = [
    r"BUG:",
    r"Oops",
    r"WARNING:",
    r"general protection",
    r"Kernel panic",
    r"kernel BUG at",
    r"soft lockup",
    r"hard LOCKUP",
    r"rcu: INFO: .* detected stall",
    r"rcu_.*detected stalls",
    r"INFO: task .* blocked for more than",
    r"UBSAN:",
    r"KASAN:",
    r"Unable to handle kernel",
    r"stack-protector:",
]
SPLAT_RE = re.compile("|".join("(?:%s)" % s for s in SPLATS))
MARK_RE = re.compile(r"KCAGE-(TEST-BEGIN|TEST-END|VM-READY|VM-DONE)\s*(\S*)(?:\s+rc=(\d+))?")
KTAP_RE = re.compile(r"^\s*(ok|not ok) \d+ (\S+)(?:\s+#\s*(SKIP.*))?")
TS_RE = re.compile(r"^\[\s*\d+\.\d+\]\s?")


class Test:
    """A VM test script and its header settings."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-3]
        self.kernels = ["stock", "debug"]
        self.smp = 2
        self.timeout = 60
        self.kmods = []
        self.expect = []
        self.ktap = False
        self.stress = False
        self.host_tools = []
        self.qemu = []
        with open(path) as f:
            for line in f:
                m = re.match(r"#\s*([a-z-]+):\s*(.*\S)\s*$", line)
                if m:
                    self._setting(m.group(1), m.group(2))

    def _setting(self, key, val):
        if key == "kernels":
            self.kernels = val.split()
        elif key == "smp":
            self.smp = int(val)
        elif key == "timeout":
            self.timeout = int(val)
        elif key == "kmods":
            self.kmods = val.split()
        elif key == "expect-splat":
            self.expect.append(re.compile(val))
        elif key == "ktap":
            self.ktap = val == "yes"
        elif key == "stress":
            self.stress = val == "yes"
        elif key == "host-tools":
            self.host_tools += val.split()
        elif key == "qemu":
            self.qemu.append(val)


class Result:
    def __init__(self, name, ok, why=""):
        self.name, self.ok, self.why = name, ok, why


def parse_console(log, tests):
    """Split a console log at the guest's markers and judge each test.

    Returns a list of Result, one per test (and per KUnit case of tests
    with ktap), plus one for splats outside any test ("boot").
    """
    by_name = {t.name: t for t in tests}
    segments = {}
    ends = {}
    outside = []
    current = None
    done = False
    for raw in log.splitlines():
        line = TS_RE.sub("", raw.rstrip("\r"))
        m = MARK_RE.search(line)
        if m:
            kind, name, rc = m.groups()
            if kind == "TEST-BEGIN":
                current = name
                segments[name] = []
            elif kind == "TEST-END":
                ends[name] = int(rc) if rc is not None else -1
                current = None
            elif kind == "VM-DONE":
                done = True
            continue
        if current is not None:
            segments[current].append(line)
        else:
            outside.append(line)

    results = []
    splat = next((l for l in outside if SPLAT_RE.search(l)), None)
    if splat:
        results.append(Result("boot", False, "kernel splat outside any test: " + splat.strip()))
    for t in tests:
        results.extend(judge(t, segments.get(t.name), ends.get(t.name)))
    if not done and all(r.ok for r in results):
        results.append(Result("boot", False, "VM did not finish (no KCAGE-VM-DONE)"))
    return results


def judge(test, lines, rc):
    if lines is None:
        return [Result(test.name, False, "did not run (VM died or timed out earlier)")]
    out = []
    if test.ktap:
        out.extend(ktap_results(test.name, lines))
    for line in lines:
        if SPLAT_RE.search(line) and not any(e.search(line) for e in test.expect):
            out.append(Result(test.name, False, "unexpected kernel splat: " + line.strip()))
            return out
    if rc is None:
        return out + [Result(test.name, False, "no END marker: VM crashed or hung during the test")]
    if rc == 124 or rc == 143:
        return out + [Result(test.name, False, "timed out after %ds" % test.timeout)]
    if rc != 0:
        fails = [l.strip() for l in lines if l.startswith("FAIL")]
        why = fails[0] if fails else "exit status %d" % rc
        return out + [Result(test.name, False, why)]
    return out + [Result(test.name, True)]


def ktap_results(name, lines):
    """KUnit cases between KTAP-BEGIN/KTAP-END, reported as name:suite.case.

    Each suite's results file is preceded by a "KTAP-SUITE <name>" line.
    """
    out = []
    inside = False
    suite = None
    for line in lines:
        if line.strip() == "KTAP-BEGIN":
            inside, suite = True, None
            continue
        if line.strip() == "KTAP-END":
            inside = False
            continue
        if not inside:
            continue
        m = re.match(r"KTAP-SUITE (\S+)", line.strip())
        if m:
            suite = m.group(1)
            continue
        m = KTAP_RE.match(line)
        if not m or not line.startswith((" ", "\t")):
            continue  # suite-level lines duplicate their cases
        status, case, skip = m.groups()
        ok = status == "ok"
        why = "" if ok else "KUnit case failed (see the log)"
        out.append(Result("%s:%s.%s" % (name, suite, case), ok, why))
    if not out:
        out.append(Result(name + ":ktap", False, "no KUnit results printed"))
    return out


def ldd_libs(binary):
    """Shared libraries a binary needs (absolute paths), via ldd."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return []
    libs = []
    for line in out.splitlines():
        m = re.search(r"(/\S+)", line)
        if m and os.path.exists(m.group(1)):
            libs.append(m.group(1))
    # glibc loads libgcc_s when a thread exits (mksquashfs's do), which
    # ldd does not show.
    gcc_s = "/lib/x86_64-linux-gnu/libgcc_s.so.1"
    if any(l.endswith("/libc.so.6") for l in libs) and os.path.exists(gcc_s):
        libs.append(gcc_s)
    return libs


def host_tools(names):
    """Absolute paths of host programs (e2fsprogs lives in /sbin)."""
    path = os.environ.get("PATH", "") + ":/sbin:/usr/sbin"
    found = []
    for name in names:
        p = shutil.which(name, path=path)
        if not p:
            sys.exit("run.py: host program %s not found" % name)
        found.append(p)
    return found


def copy_file(src, root, dest=None):
    dest = os.path.join(root, (dest or src).lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copy2(src, dest)


def module_closure(modroot, names):
    """Paths (relative to the modules dir) of the named modules and their deps."""
    deps = {}
    with open(os.path.join(modroot, "modules.dep")) as f:
        for line in f:
            mod, _, rest = line.partition(":")
            deps[mod] = rest.split()
    by_name = {os.path.basename(p)[:-3].replace("-", "_"): p for p in deps}
    want, todo = set(), []
    for n in names:
        optional = n.startswith("?")	# "?nls_ascii": only if the kernel has it as a module
        key = n.lstrip("?").replace("-", "_")
        if key not in by_name and optional:
            continue
        if key not in by_name:
            raise SystemExit("run.py: no module %s in %s" % (n, modroot))
        todo.append(by_name[key])
    while todo:
        p = todo.pop()
        if p not in want:
            want.add(p)
            todo.extend(deps[p])
    return sorted(want)


def build_initramfs(env, tests, work):
    root = os.path.join(work, "root")
    shutil.rmtree(root, ignore_errors=True)
    for d in ["bin", "sbin", "proc", "sys", "dev", "tmp", "tests", "kcage/modules", "lib64"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    copy_file("/bin/busybox", root, "/bin/busybox")
    copy_file(os.path.join(HERE, "guest-init.sh"), root, "/init")
    copy_file(os.path.join(HERE, "lib.sh"), root, "/tests/lib.sh")
    # Helpers of the tests directory itself (tests/bench/vm/lib): /tests/lib.
    libdir = os.path.join(env["tests_dir"], "lib")
    if os.path.isdir(libdir):
        for name in sorted(os.listdir(libdir)):
            copy_file(os.path.join(libdir, name), root, "/tests/lib/" + name)
    copy_file(env["ko"], root, "/kcage/kcage.ko")
    for ko in env["modules"]:
        copy_file(ko, root, "/kcage/modules/" + os.path.basename(ko))
    # The project's policies, with the layout their includes expect.
    for rel in ["examples/policies", "policy/base", "tests/attacks", "tests/bench/policies"]:
        src = os.path.join(TOP, rel)
        if not os.path.isdir(src):
            continue
        for name in sorted(os.listdir(src)):
            if name.endswith(".yaml"):
                copy_file(os.path.join(src, name), root, "/kcage/src/%s/%s" % (rel, name))
    # /sbin/policyc's installed base policies (../share/kcage/base), which
    # the examples include as base/NAME.yaml.
    base = os.path.join(TOP, "policy", "base")
    for name in sorted(os.listdir(base)):
        copy_file(os.path.join(base, name), root, "/share/kcage/base/" + name)
    for t in tests:
        copy_file(t.path, root, "/tests/%s.sh" % t.name)
        with open(os.path.join(root, "tests", t.name + ".timeout"), "w") as f:
            f.write("%d\n" % t.timeout)
    # Shipped programs go to /sbin.  The static busybox prefers its own
    # applets to programs on PATH: call a program busybox also has (mke2fs)
    # by its full path.
    for tool in env["tools"]:
        copy_file(tool, root, "/sbin/" + os.path.basename(tool))
        for lib in ldd_libs(tool):
            copy_file(lib, root)
    kmods = sorted({m for t in tests for m in t.kmods})
    if kmods:
        release = os.path.basename(env["modroot"])
        for rel in module_closure(env["modroot"], kmods):
            copy_file(os.path.join(env["modroot"], rel), root,
                      "/lib/modules/%s/%s" % (release, rel))
    if env.get("overlay"):
        shutil.copytree(env["overlay"], root, symlinks=True, dirs_exist_ok=True)
    os.chmod(os.path.join(root, "init"), 0o755)
    cpio = os.path.join(work, "initramfs.cpio.gz")
    files = subprocess.run("cd %s && find . | LC_ALL=C sort" % root, shell=True,
                           capture_output=True, check=True).stdout
    data = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root,
                          input=files, capture_output=True, check=True).stdout
    with gzip.open(cpio, "wb", compresslevel=1) as f:
        f.write(data)
    return cpio


def boot(env, tests, cpio, log_path, smp, mem, boot_allowance, stream, extra, stress=0,
         more_append=""):
    names = ",".join(t.name for t in tests)
    # preempt=full: translated code must be right when preempted anywhere.
    append = ("console=ttyS0 panic=-1 loglevel=7 printk.devkmsg=on preempt=full "
              "kcage_tests=" + names)
    # no5lvl on the KASAN kernel: identify_cpu() clears the boot CPU's
    # capabilities, LA57 included, before reading them again; an interrupt
    # in that window sees pgtable_l5_enabled() false, and KASAN reports
    # its own 5-level direct-map addresses as wild accesses
    # (do_raw_spin_lock from handle_edge_irq, at about 1.5 s, before any
    # module).  With 4-level paging there is no such window.
    if env["kernel"] == "debug":
        append += " no5lvl"
    if stress:
        append += " kcage_stress=%d" % stress
    if more_append:
        append += " " + more_append
    cmd = ["qemu-system-x86_64", "-machine", "q35", "-cpu", "max",
           "-smp", str(smp), "-m", str(mem), "-kernel", env["image"],
           "-initrd", cpio, "-append", append, "-nographic", "-no-reboot",
           "-nic", "none", "-monitor", "none", "-serial", "stdio"] + extra
    limit = boot_allowance + sum(t.timeout + 5 for t in tests)
    start = time.time()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            os.set_blocking(proc.stdout.fileno(), False)
            while proc.poll() is None:
                if time.time() - start > limit:
                    proc.kill()
                    log.write(b"\nrun.py: VM killed after %ds (limit)\n" % limit)
                    break
                chunk = proc.stdout.read()
                if chunk:
                    log.write(chunk)
                    if stream:
                        sys.stdout.buffer.write(chunk)
                        sys.stdout.flush()
                else:
                    time.sleep(0.05)
            rest = proc.stdout.read()
            if rest:
                log.write(rest)
                if stream:
                    sys.stdout.buffer.write(rest)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    return time.time() - start


def boot_needs(tests, tools):
    """The host programs and QEMU arguments of one boot of these tests:
    tools plus each test's "# host-tools:", and each distinct "# qemu:"
    line once (two tests may declare the same NICs)."""
    tools = list(tools)
    tools += [n for t in tests for n in t.host_tools if n not in tools]
    lines = []
    for t in tests:
        lines += [l for l in t.qemu if l not in lines]
    return tools, [a for l in lines for a in l.split()]


def discover(tests_dir, kernel, names):
    all_tests = {}
    for f in sorted(os.listdir(tests_dir)):
        if f.endswith(".sh"):
            t = Test(os.path.join(tests_dir, f))
            all_tests[t.name] = t
    if names:
        missing = [n for n in names if n not in all_tests]
        if missing:
            raise SystemExit("run.py: no such test: %s (see --list)" % ", ".join(missing))
        return [all_tests[n] for n in names]
    return [t for t in all_tests.values() if kernel in t.kernels]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", choices=["stock", "debug"], default="stock")
    ap.add_argument("--image", required=True, help="kernel image (bzImage)")
    ap.add_argument("--modroot", required=True, help="lib/modules/<release> of that kernel")
    ap.add_argument("--ko", required=True, help="kcage.ko built for that kernel")
    ap.add_argument("--modules", default="", help="directory of extra .ko files to ship")
    ap.add_argument("--tools", default="", help="directory of user-space programs to ship")
    ap.add_argument("--host-tools", default="mke2fs e2fsck jq",
                    help="host programs to ship too (file-system workloads)")
    ap.add_argument("--tests-dir", default=os.path.join(HERE, "tests"))
    ap.add_argument("--tests", default="", help="comma-separated test names (default: all for this kernel)")
    ap.add_argument("--smp", type=int, default=0)
    ap.add_argument("--mem", type=int, default=0)
    ap.add_argument("--work", required=True, help="directory for the initramfs and logs")
    ap.add_argument("--results", help="append PASS/FAIL lines to this file")
    ap.add_argument("--prefix", default="", help="prefix for result names")
    ap.add_argument("--stream", action="store_true", help="show the console while it runs")
    ap.add_argument("--qemu-arg", action="append", default=[],
                    help="extra QEMU argument (repeat), e.g. -icount for benchmarks")
    ap.add_argument("--stress", type=int, default=0, metavar="SECONDS",
                    help="stress tests run this long (make stress)")
    ap.add_argument("--overlay", default="",
                    help="a directory tree copied over the guest's root last "
                         "(make install-check: a make install DESTDIR)")
    ap.add_argument("--append", default="",
                    help="more kernel command line, for the tests to read (make bench)")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()

    names = [n for n in args.tests.split(",") if n]
    tests = discover(args.tests_dir, args.kernel, names)
    for t in tests:
        if t.stress and args.stress:
            t.timeout += args.stress
    if args.list:
        for t in tests:
            print("%-28s kernels=%s smp=%d timeout=%d" % (t.name, ",".join(t.kernels), t.smp, t.timeout))
        return 0
    if not tests:
        print("run.py: no tests selected")
        return 1

    def files_in(d, suffix=""):
        if not d or not os.path.isdir(d):
            return []
        return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(suffix))

    tools, qemu = boot_needs(tests, args.host_tools.split())
    env = {"kernel": args.kernel, "image": args.image, "tests_dir": args.tests_dir,
           "modroot": args.modroot, "ko": args.ko,
           "modules": files_in(args.modules, ".ko"),
           "tools": files_in(args.tools) + host_tools(tools),
           "overlay": args.overlay}
    os.makedirs(args.work, exist_ok=True)
    cpio = build_initramfs(env, tests, args.work)
    smp = args.smp or max(t.smp for t in tests)
    mem = args.mem or (2048 if args.kernel == "debug" else 1024)
    log_path = os.path.join(args.work, "console.log")
    allowance = 240 if args.kernel == "debug" else 60
    secs = boot(env, tests, cpio, log_path, smp, mem, allowance, args.stream,
                qemu + args.qemu_arg, args.stress, args.append)
    with open(log_path, errors="replace") as f:
        results = parse_console(f.read(), tests)

    failed = 0
    lines = []
    for r in results:
        name = args.prefix + r.name
        if r.ok:
            lines.append("PASS %s" % name)
        else:
            failed += 1
            lines.append("FAIL %s: %s (log: %s)" % (name, r.why, log_path))
    for l in lines:
        print(l)
    print("vm(%s): %d tests in one boot, %.0fs, console log: %s"
          % (args.kernel, len(tests), secs, log_path))
    if args.results:
        with open(args.results, "a") as f:
            f.write("\n".join(lines) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
