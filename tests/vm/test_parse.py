#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the VM harness's console parser (run.py), on synthetic
console logs: splats, timeouts, crashes and KTAP must be judged right."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402


def make_test(name, header=""):
    d = tempfile.mkdtemp()
    path = os.path.join(d, name + ".sh")
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + header)
    return run.Test(path)


def log(*lines):
    return "\n".join("[    1.%06d] %s" % (i, l) for i, l in enumerate(lines))


def verdicts(text, tests):
    return {r.name: (r.ok, r.why) for r in run.parse_console(text, tests)}


def test_pass():
    t = make_test("a")
    v = verdicts(log("KCAGE-TEST-BEGIN a", "hello", "KCAGE-TEST-END a rc=0", "KCAGE-VM-DONE"), [t])
    assert v == {"a": (True, "")}, v


def test_nonzero_exit_quotes_fail_line():
    t = make_test("a")
    v = verdicts(log("KCAGE-TEST-BEGIN a", "FAIL: no such thing", "KCAGE-TEST-END a rc=1", "KCAGE-VM-DONE"), [t])
    assert v["a"] == (False, "FAIL: no such thing"), v


def test_warning_fails_test():
    t = make_test("a")
    v = verdicts(log("KCAGE-TEST-BEGIN a", "WARNING: CPU: 0 PID: 1 at x.c:1", "KCAGE-TEST-END a rc=0", "KCAGE-VM-DONE"), [t])
    assert not v["a"][0] and "WARNING" in v["a"][1], v


def test_expected_splat_allowed():
    t = make_test("a", "# expect-splat: WARNING: .*kc_warn\n")
    v = verdicts(log("KCAGE-TEST-BEGIN a", "WARNING: CPU: 0 PID: 1 at kc_warn.c:1", "KCAGE-TEST-END a rc=0", "KCAGE-VM-DONE"), [t])
    assert v["a"][0], v


def test_every_splat_kind_detected():
    for s in ["BUG: KASAN: slab-out-of-bounds in f", "Oops: 0000 [#1] SMP",
              "general protection fault, probably for non-canonical address",
              "Kernel panic - not syncing: x", "watchdog: BUG: soft lockup - CPU#0",
              "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
              "INFO: task sh:1 blocked for more than 120 seconds.",
              "kernel BUG at fs/x.c:10!", "UBSAN: shift-out-of-bounds in x"]:
        t = make_test("a")
        v = verdicts(log("KCAGE-TEST-BEGIN a", s, "KCAGE-TEST-END a rc=0", "KCAGE-VM-DONE"), [t])
        assert not v["a"][0], s


def test_crash_mid_test_and_not_run():
    a, b = make_test("a"), make_test("b")
    v = verdicts(log("KCAGE-TEST-BEGIN a", "something"), [a, b])
    assert not v["a"][0] and "no END" in v["a"][1], v
    assert not v["b"][0] and "did not run" in v["b"][1], v


def test_timeout():
    t = make_test("a", "# timeout: 5\n")
    v = verdicts(log("KCAGE-TEST-BEGIN a", "KCAGE-TEST-END a rc=124", "KCAGE-VM-DONE"), [t])
    assert v["a"] == (False, "timed out after 5s"), v


def test_splat_during_boot():
    t = make_test("a")
    v = verdicts(log("Oops: 0002", "KCAGE-TEST-BEGIN a", "KCAGE-TEST-END a rc=0", "KCAGE-VM-DONE"), [t])
    assert not v["boot"][0], v


def test_ktap_cases():
    t = make_test("k", "# ktap: yes\n")
    text = "\n".join(["[ 1.0] KCAGE-TEST-BEGIN k", "KTAP-BEGIN",
                      "KTAP-SUITE kcage_decode", "KTAP version 1",
                      "# Subtest: kcage_decode", "1..2", "    ok 1 one",
                      "    not ok 2 two", "ok 1 kcage_decode",
                      "KTAP-SUITE kcage_cache", "KTAP version 1",
                      "# Subtest: kcage_cache", "1..1", "    ok 1 three",
                      "ok 2 kcage_cache", "KTAP-END",
                      "[ 2.0] KCAGE-TEST-END k rc=0", "[ 2.1] KCAGE-VM-DONE"])
    v = verdicts(text, [t])
    assert v["k:kcage_decode.one"][0], v
    assert not v["k:kcage_decode.two"][0], v
    assert v["k:kcage_cache.three"][0], v
    assert v["k"][0], v


def test_ktap_missing_is_failure():
    t = make_test("k", "# ktap: yes\n")
    v = verdicts(log("KCAGE-TEST-BEGIN k", "KCAGE-TEST-END k rc=0", "KCAGE-VM-DONE"), [t])
    assert not v["k:ktap"][0], v


def test_boot_needs_merges_headers():
    nic = "-netdev hubport,id=p1,hubid=0 -device e1000,netdev=p1"
    a = make_test("a", "# host-tools: ip wg\n# qemu: %s\n" % nic)
    b = make_test("b", "# host-tools: ip\n# qemu: %s\n# qemu: -icount 0\n" % nic)
    tools, qemu = run.boot_needs([a, b], ["jq", "ip"])
    assert tools == ["jq", "ip", "wg"], tools
    assert qemu == nic.split() + ["-icount", "0"], qemu
    assert run.boot_needs([make_test("c")], ["jq"]) == (["jq"], [])


def main():
    failed = 0
    for name, fn in sorted(globals().items()):
        if not name.startswith("test_"):
            continue
        try:
            fn()
            print("PASS unit/vm-harness/%s" % name[5:])
        except AssertionError as e:
            failed += 1
            print("FAIL unit/vm-harness/%s: %s" % (name[5:], e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
