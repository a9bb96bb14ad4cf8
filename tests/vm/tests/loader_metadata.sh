#!/bin/sh
# Loader metadata: every tests/attacks/atk_ld_* module, loaded with `kcage
# load` under its policy, is refused before the kernel applies any of its
# sections (lib/loader.sh: the log names the section, the kernel's bytes
# and the target are unchanged).  Then one of them is loaded natively,
# without a policy, to show that the attack is real: its parameter writes
# the kernel's panic_timeout.
# smp: 2
# timeout: 300
. /tests/lib.sh
. /tests/lib/loader.sh

SRC=/kcage/src/tests/attacks

load_kcage
count=0
for policy in $SRC/atk_ld_*.yaml; do
	refused_at_load $policy
	count=$((count + 1))
done
[ $count -ge 12 ] || fail "only $count loader attacks"

# Natively (no policy for it), the same module does what it says.
old=$(cat /proc/sys/kernel/panic)
insmod $MODDIR/atk_ld_param_arg.ko evil=77 || fail "native atk_ld_param_arg"
now=$(cat /proc/sys/kernel/panic)
rmmod atk_ld_param_arg
echo "$old" > /proc/sys/kernel/panic
[ "$now" = 77 ] || fail "native atk_ld_param_arg did not write panic_timeout ($now)"
echo "native atk_ld_param_arg: panic_timeout $old -> $now (restored)"
[ "$(stat native_execs)" -eq 0 ] || fail "native code of a sandboxed module ran"
rmmod kcage || fail "rmmod kcage"
