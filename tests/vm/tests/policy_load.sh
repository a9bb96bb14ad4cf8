#!/bin/sh
# policyc compiles a policy (in the guest); kcage.ko takes it over netlink
# after its hardened decoder has checked it.  A damaged blob, sent past the
# kcage tool's own check, is refused by the kernel with a precise reason
# (extended ACK, kernel log) and installs nothing; a newer policy for the
# same module replaces the older.
. /tests/lib.sh

cat > /tmp/p.yaml <<'YAML'
module: kc_hello
mode: audit
default_action: deny
actions:
  write: quarantine
calls:
  allow: [_printk, "seq_*", single_open]
entries: [kc_hello_open, kc_hello_show]
YAML
/sbin/policyc /tmp/p.yaml -o /tmp/p.kcp || fail "policyc"
load_kcage

# load_blob <file>: straight to the kernel, without the tool's own check
load_blob() {
	kcage policy load --unchecked "$1" > /tmp/out 2>&1
	rc=$?
	cat /tmp/out
	return $rc
}

load_blob /tmp/p.kcp || fail "a valid policy was refused"
expect_dmesg 'kcage: policy for kc_hello loaded: mode=audit'
grep '^kc_hello mode=audit default=deny calls=3/0 entries=2 ' \
	/sys/kernel/debug/kcage/policies || fail "policy not listed"

cp /tmp/p.kcp /tmp/bad.kcp
printf '\377' | dd of=/tmp/bad.kcp bs=1 seek=100 conv=notrunc 2>/dev/null
load_blob /tmp/bad.kcp && fail "a corrupted policy was accepted"
grep -q 'checksum mismatch: corrupted policy' /tmp/out || fail "no extended ACK"
expect_dmesg 'kcage: policy rejected: checksum mismatch: corrupted policy \(-74\)'

head -c 40 /tmp/p.kcp > /tmp/short.kcp
load_blob /tmp/short.kcp && fail "a truncated policy was accepted"
grep -q 'policy shorter than a header' /tmp/out || fail "no extended ACK"
expect_dmesg 'kcage: policy rejected: blob of 40 bytes is shorter than a header'

load_blob /tests/lib.sh && fail "a shell script was accepted as a policy"
grep -q 'bad magic: not a kcage policy' /tmp/out || fail "no extended ACK"
expect_dmesg 'kcage: policy rejected: bad magic'
[ "$(wc -l < /sys/kernel/debug/kcage/policies)" -eq 1 ] || fail "refused blobs left something"

# the tool's own check says the same before sending anything
kcage policy load /tmp/bad.kcp && fail "the tool sent a corrupted policy"

sed -i 's/^mode: audit/mode: enforce/' /tmp/p.yaml
/sbin/policyc /tmp/p.yaml -o /tmp/p2.kcp || fail "policyc (enforce)"
load_blob /tmp/p2.kcp || fail "the second policy was refused"
[ "$(wc -l < /sys/kernel/debug/kcage/policies)" -eq 1 ] || fail "not replaced"
grep -q '^kc_hello mode=enforce ' /sys/kernel/debug/kcage/policies || fail "old policy kept"
kcage policy remove kc_hello || fail "policy remove"
rmmod kcage || fail "rmmod kcage"
