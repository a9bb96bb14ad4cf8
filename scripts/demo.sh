#!/bin/sh
# make demo: build kcage, boot Debian's stock 6.1 kernel under QEMU, load
# kcage and an example driver, and show what happened (the script's own
# output and every kernel line from kcage or the driver).
set -eu
cd "$(dirname "$0")/.."

echo "== building (first run installs packages and downloads the kernel)"
make --no-print-directory -s deps kmod modules user >build/demo-build.log 2>&1 ||
	{ tail -n 30 build/demo-build.log; exit 1; }
echo "== booting Debian's $(sed -n 's/^KVER=//p' build/env.mk) kernel under QEMU"
rc=0
make --no-print-directory -s vm TESTS_DIR=tests/vm/demo WORK_SUFFIX=-demo \
	>build/demo.out 2>&1 || rc=$?
log=build/stock/vm-demo/console.log
echo "== what happened (full console: $log)"
sed -n '/KCAGE-TEST-BEGIN demo/,/KCAGE-TEST-END demo/p' "$log" |
	grep -E 'demo:|kcage|kc_hello|kc_attack|kc_crash' | grep -v 'KCAGE-TEST' |
	sed 's/^\[ *[0-9.]*\] //'
echo "== result"
grep -E '^(PASS|FAIL)' build/demo.out | sed 's/Skipping BTF.*//'
exit $rc
