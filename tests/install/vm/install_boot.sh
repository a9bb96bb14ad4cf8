#!/bin/sh
# Boot: the init script (what kcage.service also runs) loads kcage.ko and
# every policy in /etc/kcage/policies.d, so that a module with a policy is
# sandboxed however it is loaded, here by a plain insmod.  A broken policy
# is reported and skipped; the others are loaded.
# kernels: stock
# host-tools: kmod
# timeout: 120
. /tests/lib/install.sh

for m in kc_hello vfat fat; do
	grep -q "^$m " /proc/modules && rmmod $m
done
if grep -q '^kcage ' /proc/modules; then
	rmmod kcage || fail "rmmod kcage"
fi
install_kc_hello_policy
printf 'module: kc_broken\nmode: enforse\n' > $POLICIES/kc_broken.yaml

/etc/init.d/kcage start >/tmp/start.out 2>&1 && fail "the init script hid a broken policy"
cat /tmp/start.out
grep -q '^kcage ' /proc/modules || fail "the init script did not load kcage.ko"
grep -qF "kcage: not loading the policy for kc_broken: $POLICIES/kc_broken.yaml does not compile" /tmp/start.out ||
	fail "no message for the broken policy"
dmesg | grep -qF "kcage: not loading the policy for kc_broken" || fail "the kernel log has no message for it"
grep -q "1 policies loaded from $POLICIES, 1 failed" /tmp/start.out || fail "no summary"
[ "$($KCAGE policy list --json | jq -r '.[].module' | sort | tr '\n' ' ')" = "kc_hello " ] ||
	fail "policies loaded: $($KCAGE policy list)"

insmod $EXTRA/kc_hello.ko || fail "insmod kc_hello"
[ "$(sandbox_mode kc_hello)" = enforce ] || fail "insmod bypassed the policy loaded at boot"
cat /proc/kc_hello || fail "kc_hello"
rmmod kc_hello

rm $POLICIES/kc_broken.yaml
/etc/init.d/kcage reload || fail "reload with only good policies"
/etc/init.d/kcage status >/dev/null || fail "status"
echo "the init script loaded kcage.ko and the policies in $POLICIES"
