#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""User-space benchmark driver (make bench-user): kcage's translator core
against native execution and two reference translators, on the same code.

  run.py BENCH_USER OUT_JSON [--reps N] [--target-ms MS]

1. bench_user in-process: each group of corpus functions natively and
   through kcage's user-space host (translate-only), plus translation cost.
2. bench_user --native-only under "valgrind --tool=none" and under
   qemu-x86_64 (qemu-user), with the loop counts of run 1, so all three do
   the same work.  Both translate the whole process; bench_user times its
   own loops, after a warm-up, so their start-up and translation of libc
   are not in the figures.
3. bench_user --native-only alone, the same way: the noise of the native
   baseline between runs ("native again").

Ratios are medians divided by run 1's native median.  Writes each run's
JSON next to OUT_JSON and the merged result to OUT_JSON.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys

NOT_ENFORCED = ("no \"enforced\" column: the enforcement instrumentation "
                "(kmod/enforce/bounds.c, kmod/enforce/shadow.c, kmod/enforce/enforce.c) needs kernel "
                "headers and is not built in user space; make bench measures "
                "it in the VM")

REFS = [
    # key, column title, command prefix, tool (None: the binary alone)
    ("valgrind", "valgrind none", ["valgrind", "--tool=none", "-q"], "valgrind"),
    ("qemu_user", "qemu-user", ["qemu-x86_64"], "qemu-x86_64"),
    # The same native-only run with no tool, last: how far the native
    # baseline moved meanwhile (the machine may be busy), so how far apart
    # two columns must be to mean something.
    ("native_again", "native again", [], None),
]


def version(tool):
    try:
        out = subprocess.run([tool, "--version"], capture_output=True,
                             text=True, timeout=30).stdout
    except OSError:
        return None
    lines = [l for l in out.splitlines() if l.strip()]
    return lines[0] if lines else None


def run_bench(cmd, json_path, echo):
    """Run one bench_user; return its JSON, or {"error": why}."""
    if os.path.exists(json_path):
        os.remove(json_path)
    print("$ " + " ".join(cmd), flush=True)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        return {"error": "cannot run: %s" % e}
    if echo:
        sys.stdout.write(p.stdout)
    # 1 with a JSON: results differed, which the JSON says (same_result)
    if p.returncode not in (0, 1) or not os.path.exists(json_path):
        why = (p.stderr.strip().splitlines() or ["no message"])[-1]
        if p.returncode < 0:
            what = "killed by signal %d" % -p.returncode
        else:
            what = "exited with %d" % p.returncode
        return {"error": "%s: %s" % (what, why), "stdout": p.stdout,
                "stderr": p.stderr}
    with open(json_path) as f:
        return json.load(f)


def group_row(name, kc, refs):
    """One merged row: the native median in us per call, and the ratios."""
    g = {x["name"]: x for x in kc["groups"]}[name]
    row = {"group": name, "calls": g["calls"],
           "native_us_per_call": g["native_median_ns"] / 1e3 / g["calls"],
           "kcage_translate_only": g["ratio"],
           "kcage_same_result": g["same_result"]}
    for key, _, _, _ in REFS:
        r = refs[key]
        if "error" in r:
            row[key] = None
            continue
        rg = {x["name"]: x for x in r["groups"]}[name]
        row[key] = rg["native_median_ns"] / g["native_median_ns"]
        row[key + "_same_result"] = rg["same_result"]
    return row


def cell(ratio, same=True):
    if ratio is None:
        return "n/a"
    return "%.2fx%s" % (ratio, "" if same else " DIFF")


def print_table(merged):
    kc = merged["kcage"]
    cols = ["group", "native us/call", "kcage translate-only"] + \
        [title for _, title, _, _ in REFS]
    widths = [10, 14, 20, 14, 12, 12]
    print()
    print("# user-space benchmark: tests/unit/diff corpus, medians of %d "
          "repetitions, ratios to native (in-process run)" % kc["reps"])
    print("# " + NOT_ENFORCED)
    print("# host: %s, %s CPUs, load average %s before, %s after"
          % (merged["host"]["machine"], merged["host"]["cpus"],
             merged["host"]["load_before"], merged["host"]["load_after"]))
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip())
    print("-+-".join("-" * w for w in widths))
    for row in merged["table"]:
        cells = [row["group"], "%.3f" % row["native_us_per_call"],
                 cell(row["kcage_translate_only"], row["kcage_same_result"])]
        for key, _, _, _ in REFS:
            cells.append(cell(row[key], row.get(key + "_same_result", True)))
        print(" | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    for key, title, _, tool in REFS:
        r = merged[key]
        if "error" in r:
            print("%s: NOT MEASURED (%s)" % (title, r["error"]))
        elif tool:
            print("%s: %s" % (title, r.get("version") or "version unknown"))
    t = kc.get("translation")
    if t:
        print("kcage translation, cold run of the whole corpus: %d blocks, "
              "%d native -> %d cache bytes (%.2f cache bytes per native byte), "
              "%.2f MB of native code per second of block building"
              % (t["blocks"], t["native_bytes"], t["cache_bytes"],
                 t["cache_per_native"], t["native_bytes_per_s"] / 1e6))
    print("native again: the native loops rerun alone after the tools; its "
          "distance from 1.00x is the noise\nbetween runs, which the "
          "valgrind and qemu-user ratios (other processes) also carry")
    print("an indirect branch costs kcage about fifteen instructions and a "
          "mispredicted ret (its lookup\ntable is probed inline, as in "
          "kmod/dbt/ibl.c): switch, fnptr and goto are made of them")
    print("(\"corpus\" calls every function in one loop: a different workload,"
          " not the sum of the rows above; DIFF: results differed between"
          " repetitions; details and raw samples: %s)" % merged["json"])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def loadavg():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_user")
    ap.add_argument("out_json")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--target-ms", type=int, default=15)
    args = ap.parse_args()

    out_dir = os.path.dirname(os.path.abspath(args.out_json))
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.splitext(os.path.abspath(args.out_json))[0]
    common = ["--reps", str(args.reps)]
    load_before = loadavg()

    kc = run_bench([args.bench_user, "--target-ms", str(args.target_ms),
                    "--json", stem + "-kcage.json"] + common,
                   stem + "-kcage.json", echo=True)
    if "error" in kc:
        print("bench-user: the in-process run failed: %s" % kc["error"])
        sys.stderr.write(kc.get("stderr", ""))
        return 1
    calls = ",".join("%s=%d" % (g["name"], g["calls"]) for g in kc["groups"])

    merged = {"command": " ".join(sys.argv), "kcage": kc, "json": args.out_json}
    for key, _, prefix, tool in REFS:
        if tool and not shutil.which(tool):
            merged[key] = {"error": "%s is not installed (scripts/deps.sh "
                                    "installs it)" % tool}
            continue
        path = "%s-%s.json" % (stem, key)
        r = run_bench(prefix + [args.bench_user, "--native-only", "--calls",
                                calls, "--json", path] + common, path, echo=False)
        r["version"] = version(tool) if tool else None
        r["command"] = " ".join(prefix + [args.bench_user, "--native-only"])
        merged[key] = r
    merged["host"] = {"machine": cpu_model(),
                      "cpus": os.cpu_count(), "load_before": load_before,
                      "load_after": loadavg()}
    merged["table"] = [group_row(g["name"], kc, merged)
                       for g in kc["groups"]]
    with open(args.out_json, "w") as f:
        json.dump(merged, f, indent=1)
    print_table(merged)
    bad = not all(r["kcage_same_result"] for r in merged["table"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
