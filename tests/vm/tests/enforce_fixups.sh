#!/bin/sh
# kc_faults (tests/vm/modules/kc_faults) enforced, with check_reads: its
# own inline unsafe_get_user()/unsafe_put_user() have exception-table
# entries, which exempt them from no check; their accesses, in the user
# half, are allowed because of the entries, fault into their fixups and
# return -EFAULT as natively, with no violation.
# smp: 2
. /tests/lib.sh

insmod $MODDIR/kc_faults.ko || fail "insmod kc_faults (native)"
cat /proc/kc_faults > /tmp/native || fail "read (native)"
rmmod kc_faults
cat > /tmp/kc_faults.yaml <<'P'
module: kc_faults
mode: enforce
default_action: deny
calls:
  # rdmsr_safe() calls the static native_read_msr_safe() under paravirt
  allow: ["*", native_read_msr_safe]
entries: ["kc_faults_*"]
memory:
  builtin: [data, stack]
  check_reads: true
# rdmsr_safe() is inline rdmsr where the kernel has no paravirt MSR ops;
# the inline user accesses open with stac
privileged:
  - stac
  - { insn: rdmsr, msrs: 0xdeadbeef }
P
/sbin/policyc /tmp/kc_faults.yaml -o /tmp/kc_faults.kcp || fail "policyc"
load_kcage
kcage load --policy /tmp/kc_faults.kcp $MODDIR/kc_faults.ko || fail "kcage load"
cat /proc/kc_faults > /tmp/enforced || fail "read (enforced)"
cat /tmp/enforced
cmp /tmp/native /tmp/enforced || fail "$(diff /tmp/native /tmp/enforced)"
grep -q '^unsafe_put_user=-14$' /tmp/enforced || fail "unsafe_put_user did not fault"
grep '^kc_faults ' /sys/kernel/debug/kcage/sandboxes | grep -q ' violations=0 ' ||
	fail "violations: $(cat /sys/kernel/debug/kcage/sandboxes)"
kcage unload kc_faults || fail "kcage unload"
rmmod kcage || fail "rmmod kcage"
