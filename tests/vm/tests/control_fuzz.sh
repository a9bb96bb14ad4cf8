#!/bin/sh
# Malformed netlink messages: nlfuzz sends the kcage family
# random commands, flags, lying lengths, wrong attribute types and sizes,
# and damaged policy blobs, as root and as an unprivileged user, while a
# sandboxed module with a policy is loaded.  The kernel answers each with
# an error or an ack (never a crash; the debug kernel's KASAN and lockdep
# watch), the sandbox and its policy are unchanged, and kcage still works.
# smp: 2
# timeout: 300
. /tests/lib.sh

load_kcage
/sbin/policyc /kcage/src/examples/policies/kc_hello.yaml -o /tmp/kc_hello.kcp ||
	fail "policyc"
kcage load --policy /tmp/kc_hello.kcp $MODDIR/kc_hello.ko || fail "kcage load"
before=$(kcage policy list --json)

nlfuzz --seed 1 --iterations 20000 --policy /tmp/kc_hello.kcp || fail "nlfuzz (root)"
nobody nlfuzz --seed 2 --iterations 5000 --policy /tmp/kc_hello.kcp ||
	fail "nlfuzz (nobody)"

[ "$(cat /proc/kc_hello)" ] || fail "kc_hello after fuzzing"
kcage status --json kc_hello | jq -e '.sandboxes[0] | .mode == "enforce" and
	.quarantined == false and .violations.total == 0' > /dev/null ||
	fail "the sandbox changed"
# the fuzzer's policies name a module of its own; kc_hello's is untouched
kcage policy list --json | jq -e "map(select(.module == \"kc_hello\")) == \
	($before | map(select(.module == \"kc_hello\")))" > /dev/null ||
	fail "kc_hello's policy changed"
kcage policy show kc_hello -o /tmp/back.kcp || fail "policy show"
cmp /tmp/back.kcp /tmp/kc_hello.kcp || fail "kc_hello's policy bytes changed"
kcage unload kc_hello || fail "unload"
for m in $(kcage policy list --json | jq -r '.[].module'); do
	kcage policy remove "$m" || fail "policy remove $m"
done
rmmod kcage || fail "rmmod kcage"
