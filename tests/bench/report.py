#!/usr/bin/env python3
"""Turn make bench's VM console logs into one table and a JSON file.

    report.py --icount LOG [--wall LOG] [--json OUT]

(with the wall boot's /proc/loadavg, if the Makefile saved it as
"loadavg" next to its log).

The guest (tests/bench/vm/*.sh, lib/bench.sh) runs each workload native,
translate-only and enforced, and writes "KCAGE-BENCH begin|end <workload>
<mode>" to /dev/kmsg around what it measures.  The printk timestamps
between the markers give the time: in the --icount boot (QEMU -icount
shift=0) virtual time advances 1 ns per guest instruction, so it counts
instructions (idle time included, small on RAM disks); in the --wall boot
(no -icount) it follows the host's clock.  A mode measured more than once
(kcage_bench_reps=, the wall boot) counts its fastest repetition.  "KCAGE-BENCH stat" lines carry
kcage's counters after each sandboxed mode, "sum" the checksums (equal in
every mode, or the guest fails the workload), "info" the policy, the
violations and the units of per-unit costs, "fail" why a workload failed.
"""
import argparse
import json
import os
import re
import sys

MODES = ["native", "translated", "enforced"]
LINE = re.compile(r"^\[\s*(\d+\.\d+)\] KCAGE-BENCH (\w+) (\S+) ?(.*)$")


class Workload:
    def __init__(self, name):
        self.name = name
        self.desc = ""
        self.spans = {}		# mode -> [[seconds, ...] of each repetition]
        self.open = {}		# mode -> begin time
        self.sums = {}
        self.info = {}
        self.stats = {}		# mode -> {key: int}
        self.fails = []		# (mode or None, reason)

    def time(self, mode):
        """Seconds in @mode: its spans summed, in its fastest repetition."""
        reps = [sum(r) for r in self.spans.get(mode, []) if r]
        return min(reps) if reps else None

    def reps(self, mode):
        return len([r for r in self.spans.get(mode, []) if r])


def parse(path):
    """Workloads of one console log, in the order they ran."""
    loads = {}
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.strip())
            if not m:
                continue
            t, what, name, rest = float(m.group(1)), m.group(2), m.group(3), m.group(4)
            w = loads.setdefault(name, Workload(name))
            if what == "desc":
                w.desc = rest
            elif what == "rep":
                w.spans.setdefault(rest, []).append([])
            elif what == "begin":
                w.open[rest] = t
            elif what == "end" and rest in w.open:
                reps = w.spans.setdefault(rest, [[]])
                reps[-1].append(t - w.open.pop(rest))
            elif what == "sum":
                mode, _, val = rest.partition(" ")
                w.sums[mode] = val.strip()
            elif what == "info" and "=" in rest:
                k, v = rest.split("=", 1)
                w.info[k] = v
            elif what == "stat":
                mode, _, kv = rest.partition(" ")
                k, _, v = kv.partition("=")
                if v.lstrip("-").isdigit():
                    w.stats.setdefault(mode, {})[k] = int(v)
            elif what == "fail":
                mode, sep, why = rest.partition(": ")
                w.fails.append((mode, why) if sep and mode in MODES else (None, rest))
    return loads


def failed(w, mode):
    """Did @mode fail (or not run because an earlier one failed)?"""
    modes = [m for m, _ in w.fails]
    return mode in modes or None in modes or \
        any(m in modes for m in MODES[:MODES.index(mode)])


def ratio(w, mode):
    n, t = w.time("native"), w.time(mode)
    if failed(w, mode) or not n or t is None:
        return None
    return t / n


def policy(w):
    """What the enforced run ran under: "enforce", or "audit:..."/"logged:..." parts."""
    return w.info.get("policy", "enforce").strip()


def cell(w, mode):
    tag = ""
    if mode == "enforced" and policy(w) != "enforce":
        tag = " (audit)" if "audit:" in policy(w) else " (logged)"
    r = ratio(w, mode)
    if r is None:
        return "FAIL" if failed(w, mode) else "-"
    return "%.2fx%s" % (r, tag)


def absolute(w, icount):
    n = w.time("native")
    if n is None or failed(w, "native"):
        return "FAIL" if failed(w, "native") else "-"
    return "%.3f Ginsn" % n if icount else "%.3f s" % n


def amount(secs, icount):
    """@secs of one column as instructions or time, in a readable unit."""
    if icount:
        v = secs * 1e9
        return "%.1f M insns" % (v / 1e6) if abs(v) >= 1e6 else "%.0f insns" % v
    return "%.1f ms" % (secs * 1e3) if abs(secs) >= 1e-3 else "%.0f ns" % (secs * 1e9)


def per_unit(w, icount):
    """Cost of one unit (a read, a load) over native, if the workload has units."""
    per = w.info.get("per", "").split()
    n = w.time("native")
    if len(per) != 2 or not n:
        return None
    count, unit = int(per[0]), per[1]
    out = []
    for mode in ["translated", "enforced"]:
        t = w.time(mode)
        if t is None or failed(w, mode):
            continue
        d = (t - n) / count
        out.append("%s %s%s" % ("translate-only" if mode == "translated" else mode,
                                "+" if d >= 0 else "-", amount(abs(d), icount)))
    return "per %s: native %s; over native: %s" % (
        unit.rstrip("s"), amount(n / count, icount), ", ".join(out))


def cache_stats(w, icount):
    """Code-cache bytes per native byte and translation speed, per mode."""
    t, e = w.stats.get("translated", {}), w.stats.get("enforced", {})
    out = []
    for mode, s, base in [("translate-only", t, {}), ("enforced", e, t)]:
        nb = s.get("native_bytes", 0) - base.get("native_bytes", 0)
        cb = s.get("cache_bytes", 0) - base.get("cache_bytes", 0)
        if nb <= 0:
            continue
        text = "%s %.2f cache bytes per native byte (%d native bytes)" % (mode, cb / nb, nb)
        ns = s.get("xlate_ns", 0) - base.get("xlate_ns", 0)
        if "xlate_ns" in s and ns > 0:
            text += ", translated at %.0f KB/%s" % (nb / ns * 1e6, "Ginsn" if icount else "s")
        slow = s.get("checks_slow", 0) - base.get("checks_slow", 0)
        if mode == "enforced" and "checks_slow" in s:
            text += ", %d checks on the slow path" % slow
        out.append(text)
    return "; ".join(out)


def notes(w):
    out = []
    if policy(w) != "enforce":
        out.append("policies not all enforcing: %s" % policy(w))
    if "violations" in w.info:
        out.append("%s violations" % w.info["violations"])
    for k in sorted(w.info):
        if k.startswith(("algo_", "driver_")):
            out.append("%s=%s" % (k, w.info[k]))
    return ", ".join(out)


def table(runs):
    """runs: [(label, icount?, {name: Workload})]"""
    names = []
    for _, _, loads in runs:
        names += [n for n in loads if n not in names]
    head = ["workload"]
    for label, icount, _ in runs:
        head += ["native (%s)" % label, "translate-only", "enforced"]
    rows = [head]
    for n in names:
        row = [n]
        for _, icount, loads in runs:
            w = loads.get(n)
            if w is None:
                row += ["-", "-", "-"]
                continue
            row += [absolute(w, icount), cell(w, "translated"), cell(w, "enforced")]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(widths[j]) for j, c in enumerate(r)) + " |")
        if i == 0:
            lines.append("|" + "|".join("-" * (wd + 2) for wd in widths) + "|")
    return "\n".join(lines), names


def to_json(loads, icount):
    out = {}
    for n, w in loads.items():
        d = {"description": w.desc, "unit": "Ginsn" if icount else "s",
             "info": w.info, "checksums": w.sums,
             "failures": [{"mode": m, "reason": r} for m, r in w.fails],
             "stats": w.stats}
        for mode in MODES:
            d[mode] = w.time(mode)
            d[mode + "_repetitions"] = w.reps(mode)
            if mode != "native":
                d[mode + "_ratio"] = ratio(w, mode)
        out[n] = d
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--icount", required=True, help="console log of the -icount boot")
    ap.add_argument("--wall", help="console log of the boot without -icount")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()

    runs = [("insns", True, parse(args.icount))]
    if args.wall:
        runs.append(("wall", False, parse(args.wall)))
    if not any(loads for _, _, loads in runs):
        print("bench: no KCAGE-BENCH lines in %s" % ", ".join(
            p for p in [args.icount, args.wall] if p))
        return 1
    text, names = table(runs)
    load = None
    if args.wall:
        try:
            with open(os.path.join(os.path.dirname(args.wall), "loadavg")) as f:
                load = f.read().split()[:2]
        except OSError:
            pass
    print("make bench, VM half: Debian's 6.1 kernel in QEMU (TCG), 1 CPU.  Ratios to native;")
    print("insns: guest instructions (QEMU -icount shift=0, Ginsn = 1e9); wall: host clock,")
    print("a second boot without -icount.  enforced: the modules' policies in enforce mode and")
    print("no violation, unless marked: (audit) a policy only audits, (logged) one logs some")
    print("kinds of violation rather than stopping them; the notes say which and how many.")
    if load:
        print("wall: the host's load average after that boot was %s (1 min), %s (5 min); the VM"
              % tuple(load))
        print("alone makes 1, and more makes its figures noisier.")
    print()
    print(text)
    print()
    nfail = 0
    for n in names:
        ws = [(label, icount, loads[n]) for label, icount, loads in runs if n in loads]
        w0 = ws[0][2]
        print("%s: %s" % (n, w0.desc))
        note = notes(w0)
        if note:
            print("    %s" % note)
        for label, icount, w in ws:
            pu = per_unit(w, icount)
            if pu:
                print("    %s %s" % (label, pu))
            cs = cache_stats(w, icount)
            if cs:
                print("    %s kcage: %s" % (label, cs))
            for mode, why in w.fails:
                print("    %s FAILED%s: %s" % (label, " (%s)" % mode if mode else "", why))
                nfail += 1
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({label: to_json(loads, icount) for label, icount, loads in runs},
                      f, indent=1, sort_keys=True)
        print("\nbench: figures in %s" % args.json)
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
