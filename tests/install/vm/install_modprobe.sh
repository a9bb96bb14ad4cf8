#!/bin/sh
# An ordinary "modprobe kc_hello" goes through kcage: the install line in
# /etc/modprobe.d runs "kcage load kc_hello", which loads kcage.ko (the
# one dkms built, through modprobe), compiles /etc/kcage/policies.d/
# kc_hello.yaml with the installed policyc (its include found among the
# installed base policies), and loads kc_hello under it.  Options from the
# command line and from modprobe.d reach the module.
# kernels: stock
# host-tools: kmod
# timeout: 120
. /tests/lib/install.sh

grep -q '^kcage ' /proc/modules && fail "kcage.ko is loaded already"
insmod $EXTRA/kc_hello.ko || fail "insmod kc_hello (native)"
native=$(cat /proc/kc_hello)
rmmod kc_hello

install_kc_hello_policy
modprobe_rule kc_hello
$MODPROBE kc_hello || fail "modprobe kc_hello"

# kcage.ko came from dkms's build, loaded by kcage load through modprobe.
[ "$($MODPROBE --show-depends kcage)" = "insmod /lib/modules/$(uname -r)/updates/dkms/kcage.ko " ] ||
	fail "modprobe does not find kcage.ko where dkms installs it"
grep -q '^kcage ' /proc/modules || fail "kcage.ko was not loaded"

# kc_hello runs under the policy compiled from policies.d, enforcing: the
# very bytes the installed policyc makes of it.
/usr/bin/policyc $POLICIES/kc_hello.yaml -o /tmp/kc_hello.kcp || fail "policyc"
$KCAGE policy show kc_hello -o /tmp/loaded.kcp || fail "kcage policy show"
cmp /tmp/kc_hello.kcp /tmp/loaded.kcp || fail "the loaded policy is not policies.d/kc_hello.yaml"
$KCAGE status kc_hello
[ "$(sandbox_mode kc_hello)" = enforce ] || fail "kc_hello is not sandboxed enforcing"
loaded=$($KCAGE policy list --json | jq -r '.[] | select(.module == "kc_hello") | .crc')
[ "$($KCAGE status --json kc_hello | jq -r '.sandboxes[0].policy_crc')" = "$loaded" ] ||
	fail "kc_hello runs under another policy than the one loaded"
[ "$(cat /proc/kc_hello)" = "$native" ] || fail "translated answer differs from native"
[ "$($KCAGE status --json kc_hello | jq '.sandboxes[0].violations.total')" -eq 0 ] ||
	fail "violations in normal use"
$MODPROBE -r kc_hello || fail "modprobe -r kc_hello"
$KCAGE policy list | grep -q kc_hello || fail "the policy went with the module"

# Parameters: from the command line ($CMDLINE_OPTS) and from modprobe.d.
$MODPROBE kc_hello seed=7 || fail "modprobe kc_hello seed=7"
grep -q '^seed=7 ' /proc/kc_hello || fail "seed=7 did not reach kc_hello"
[ "$(sandbox_mode kc_hello)" = enforce ] || fail "kc_hello (seed=7) is not sandboxed"
$MODPROBE -r kc_hello
echo 'options kc_hello seed=9' > /etc/modprobe.d/kc_hello-seed.conf
$MODPROBE kc_hello || fail "modprobe kc_hello (options seed=9)"
grep -q '^seed=9 ' /proc/kc_hello || fail "options seed=9 did not reach kc_hello"
$MODPROBE -r kc_hello
rm /etc/modprobe.d/kc_hello-seed.conf
echo "modprobe kc_hello ran under kcage with /etc/kcage/policies.d/kc_hello.yaml"
