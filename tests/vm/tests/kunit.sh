#!/bin/sh
# kcage's KUnit suites, compiled into kcage.ko on the debug kernel and run
# when it loads; the harness reports each case.
# kernels: debug
# ktap: yes
# timeout: 120
. /tests/lib.sh

load_kcage
echo KTAP-BEGIN
for r in /sys/kernel/debug/kunit/kcage*/results; do
	echo "KTAP-SUITE $(basename "$(dirname "$r")")"
	cat "$r"
done
echo KTAP-END
