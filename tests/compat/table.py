#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The compatibility table from a `make compat` console log.

Each workload of tests/compat prints one KCAGE-COMPAT line (lib/compat.sh);
this makes a Markdown table of them, printed, and with --docs written
into docs/compatibility.md between its compat-table markers, so that the
table there is the last run's, not typed.  With --learned DIR, the policies the run
learned (KCAGE-LEARNED lines) go to DIR/<workload>-<module>.yaml.
"""
import argparse
import os
import re
import sys

BEGIN = "<!-- compat-table begin: make compat writes this -->"
END = "<!-- compat-table end -->"
LINE = re.compile(r"KCAGE-COMPAT (\S+) (.*)$")
LEARNED = re.compile(r"^KCAGE-LEARNED (\S+) (\S+) ?(.*)$")


def rows(log):
    seen = {}
    for line in log:
        m = LINE.search(line)
        if not m:
            continue
        fields = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
        if "native" in fields:
            seen[m.group(1)] = fields	# the kernel log and the console both have it
    return seen


def learned(log):
    """{(workload, module): policy text} from the KCAGE-LEARNED lines."""
    policies = {}
    for line in log:
        m = LEARNED.match(line.rstrip("\n"))
        if m:
            policies.setdefault((m.group(1), m.group(2)), []).append(m.group(3))
    return {k: "\n".join(v) + "\n" for k, v in policies.items()}


def write_learned(policies, outdir):
    os.makedirs(outdir, exist_ok=True)
    for (workload, module), text in sorted(policies.items()):
        with open(os.path.join(outdir, "%s-%s.yaml" % (workload, module)), "w") as f:
            f.write(text)


def table(seen, date):
    out = ["| workload | modules | what it does | native | translate-only | learned rules | enforcing them | violations |",
           "|---|---|---|---|---|---|---|---|"]
    for name, f in seen.items():
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, f["modules"].replace(",", ", "), f["desc"].replace("_", " "),
            f["native"], f["translated"], f["learned"], f["enforced"], f["violations"]))
    out.append("")
    out.append("From `make compat`, %s (`tests/compat/table.py`)." % date)
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", help="console log of the make compat boot")
    ap.add_argument("--docs", help="the Markdown file to write the table into "
                    "(docs/compatibility.md)")
    ap.add_argument("--date", default="", help="when the run was")
    ap.add_argument("--learned", help="directory to write the learned policies to")
    args = ap.parse_args()
    with open(args.log, errors="replace") as f:
        log = f.readlines()
    seen = rows(log)
    if args.learned:
        write_learned(learned(log), args.learned)
    if not seen:
        sys.exit("table.py: no KCAGE-COMPAT lines in %s" % args.log)
    t = table(seen, args.date)
    print(t)
    if args.docs:
        with open(args.docs) as f:
            text = f.read()
        if BEGIN not in text or END not in text:
            sys.exit("table.py: %s has no compat-table markers" % args.docs)
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(args.docs, "w") as f:
            f.write(head + BEGIN + "\n" + t + "\n" + END + tail)


if __name__ == "__main__":
    main()
