#!/usr/bin/env python3
"""Turn a benchmark VM's console log into ratios.

The guest writes "KCAGE-BENCH begin <phase>" / "KCAGE-BENCH end <phase>"
to /dev/kmsg around each measured phase; with QEMU's -icount shift=0 the
printk timestamps advance by one nanosecond per guest instruction, so the
difference is an instruction count (idle time included, which on a RAM
disk is small).  "KCAGE-BENCH stat key=value" lines carry kcage's counters.
"""
import re
import sys


def parse(path):
    begin, end, stats = {}, {}, {}
    pat = re.compile(r"^\[\s*(\d+\.\d+)\] KCAGE-BENCH (\w+) (\S+)")
    with open(path, errors="replace") as f:
        for line in f:
            m = pat.match(line.strip())
            if not m:
                continue
            t, what, arg = float(m.group(1)), m.group(2), m.group(3)
            if what == "begin":
                begin[arg] = t
            elif what == "end":
                end[arg] = t
            elif what == "stat" and "=" in arg:
                k, v = arg.split("=", 1)
                stats[k] = int(v)
    spans = {p: end[p] - begin[p] for p in begin if p in end}
    return spans, stats


def main():
    spans, stats = parse(sys.argv[1])
    if "native" not in spans or "translated" not in spans:
        print("bench: phases missing from %s" % sys.argv[1])
        return 1
    n, t = spans["native"], spans["translated"]
    print("ext4 workload on brd, 3 rounds, QEMU -icount shift=0 (virtual s ~ 1e9 guest insns)")
    print("  native        %8.3f s  1.00x" % n)
    print("  translate-only%8.3f s  %.2fx native" % (t, t / n))
    if "checked" in spans:
        c = spans["checked"]
        print("  all checks    %8.3f s  %.2fx native  (audit: %d stores/loads into kernel"
              " objects reported)" % (c, c / n, stats.get("checked_violations", -1)))
    if "forms_native" in spans and "forms_translated" in spans:
        fn, ft = spans["forms_native"], spans["forms_translated"]
        print("kc_forms: 300 reads of /proc/kc_forms (module-bound code)")
        print("  native        %8.3f s  1.00x" % fn)
        print("  translate-only%8.3f s  %.2fx native" % (ft, ft / fn))
        if "forms_enforced" in spans:
            fe = spans["forms_enforced"]
            print("  enforced      %8.3f s  %.2fx native  (examples/policies/kc_forms.yaml,"
                  " no violation)" % (fe, fe / fn))
    if stats.get("native_bytes"):
        print("  code cache bytes per native byte translated: %.2f (%d / %d)" %
              (stats["cache_bytes"] / stats["native_bytes"], stats["cache_bytes"],
               stats["native_bytes"]))
    print("  blocks=%d entries=%d indirect=%d native_execs=%d" %
          (stats.get("blocks", 0), stats.get("entries", 0), stats.get("indirect", 0),
           stats.get("native_execs", -1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
