#!/bin/sh
# A module whose policy is missing or broken is not loaded by modprobe,
# with "kcage: refusing to load MODULE: WHY" on modprobe's standard error
# and in the kernel log; on_policy_error = audit in kcage.conf (or
# --on-policy-error audit on the install line) loads it in audit mode
# under an empty policy instead.  modprobe loads dependencies first
# (vfat's fat, natively).
# kernels: stock
# host-tools: kmod
# kmods: vfat
# timeout: 120
. /tests/lib/install.sh

grep -q '^kcage ' /proc/modules || $MODPROBE kcage || fail "modprobe kcage"
modprobe_rule kc_hello
# A policy loaded by an earlier test must not mask the file's state.
$KCAGE policy remove kc_hello 2>/dev/null

rm -f $POLICIES/kc_hello.*
modprobe_fails kc_hello "refusing to load kc_hello: no policy in $POLICIES (kc_hello.yaml or kc_hello.kcp)"

printf 'module: kc_hello\ncalls:\n  alow: [proc_create]\n' > $POLICIES/kc_hello.yaml
modprobe_fails kc_hello "refusing to load kc_hello: $POLICIES/kc_hello.yaml does not compile (policyc's errors above)"
grep -q "unknown key 'alow'" /tmp/modprobe.err || fail "policyc's diagnostic was not shown"

echo 'not a policy' > $POLICIES/kc_hello.kcp
modprobe_fails kc_hello "refusing to load kc_hello: both $POLICIES/kc_hello.yaml and $POLICIES/kc_hello.kcp exist; keep one"
rm $POLICIES/kc_hello.yaml
modprobe_fails kc_hello "refusing to load kc_hello: $POLICIES/kc_hello.kcp is not a valid policy"

# A broken kcage.conf fails closed too.
echo 'on_policy_error = open' > /etc/kcage/kcage.conf
modprobe_fails kc_hello "refusing to load kc_hello: $POLICIES/kc_hello.kcp is not a valid policy (and /etc/kcage/kcage.conf is broken, above)"

# Failing open, as configured: audit mode, an empty policy.
echo 'on_policy_error = audit' > /etc/kcage/kcage.conf
$MODPROBE kc_hello 2>/tmp/modprobe.err || fail "modprobe kc_hello (on_policy_error = audit)"
cat /tmp/modprobe.err
grep -qF "kcage: warning: loading kc_hello in audit mode with an empty policy: $POLICIES/kc_hello.kcp is not a valid policy" /tmp/modprobe.err ||
	fail "no warning for failing open"
[ "$(sandbox_mode kc_hello)" = audit ] || fail "kc_hello is not sandboxed in audit mode"
cat /proc/kc_hello >/dev/null || fail "kc_hello does not work in audit mode"
[ "$($KCAGE status --json kc_hello | jq '.sandboxes[0].violations.call')" -gt 0 ] ||
	fail "the empty audit policy reported no calls"
$MODPROBE -r kc_hello || fail "modprobe -r kc_hello"
$KCAGE policy remove kc_hello
rm $POLICIES/kc_hello.kcp
echo 'on_policy_error = refuse' > /etc/kcage/kcage.conf

# Per module, on the install line; dependencies are modprobe's business.
modprobe_rule vfat --on-policy-error audit
$MODPROBE vfat 2>/tmp/modprobe.err || fail "modprobe vfat"
grep -qF "kcage: warning: loading vfat in audit mode with an empty policy: no policy in $POLICIES" /tmp/modprobe.err ||
	fail "no warning for vfat"
grep -q '^fat ' /proc/modules || fail "modprobe did not load vfat's dependency fat"
[ "$(sandbox_mode vfat)" = audit ] || fail "vfat is not sandboxed in audit mode"
$KCAGE status fat >/dev/null 2>&1 && fail "fat (no install line) is sandboxed"
$MODPROBE -r vfat || fail "modprobe -r vfat"
$KCAGE policy remove vfat
echo "missing and broken policies refused, failing open only as configured"
