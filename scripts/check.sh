#!/bin/sh
# make check: every test kcage has, in order of cost, continuing past
# failures so one run shows everything.  Each stage appends "PASS name" or
# "FAIL name: why" lines to build/results.txt; a stage that breaks before
# producing its own lines (a build error) records one FAIL for itself.
# Ends with "N passed, N failed" and exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
results=$PWD/build/results.txt
mkdir -p build && : >"$results"
start=$(date +%s)

stage() {
	name=$1
	shift
	echo "=== $name"
	before=$(wc -l <"$results")
	"$@"
	rc=$?
	after=$(wc -l <"$results")
	if [ $rc -ne 0 ] && [ "$after" -eq "$before" ]; then
		echo "FAIL $name: exited $rc (see the output above)" >>"$results"
	fi
	return $rc
}

M="make --no-print-directory"
stage build $M deps kmod modules user || true
stage unit $M unit-check RESULTS="$results"
stage vm-stock $M vm RESULTS="$results" RESULT_PREFIX=vm-stock/

# The harness must fail a test whose module WARNs: run the broken test on
# its own and expect exactly that failure.
selftest() {
	out=$($M vm TESTS_DIR=tests/vm/broken WORK_SUFFIX=-selftest 2>&1)
	if echo "$out" | grep -q '^FAIL warns: unexpected kernel splat: WARNING:.*(log: '; then
		echo "PASS harness-selftest/warn-fails-test" >>"$results"
	else
		echo "$out" | tail -n 20
		echo "FAIL harness-selftest/warn-fails-test: the harness did not report the WARN" >>"$results"
	fi
}
stage harness-selftest selftest
stage compat $M compat-check RESULTS="$results" RESULT_PREFIX=compat/
stage install $M install-check RESULTS="$results" RESULT_PREFIX=install/

stage debug-build $M debug-kernel kmod-debug modules-debug &&
	stage vm-debug $M vm-debug RESULTS="$results" RESULT_PREFIX=vm-debug/

# Every command the docs show, in a short form, from a clean clone.
stage docs python3 scripts/check-docs.py --results "$results"

echo "=== summary ($(($(date +%s) - start))s)"
grep '^FAIL' "$results" || true
pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
