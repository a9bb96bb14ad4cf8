#!/bin/sh
# The kernel_heap builtin region (kmod/rt/kheap.c): what it lets a module
# write and what it still refuses.  Attacks on the kernel's image
# (text, modprobe_path), on kcage's own data and on credentials are each
# run under their policy with kernel_heap added, and must still be
# stopped with the target unchanged; a store past the module's own heap
# object into its slab neighbour (atk_heap_oob), which the heap table
# refuses, is let through: that is what kernel_heap gives up, and
# SECURITY.md says so.  Then brd and ext4 run the file workload
# enforcing kernel_heap policies (deny for everything but stores outside
# kernel_heap, which are logged), and every store must be inside
# kernel_heap: no violation.
# The debug kernel's inline lockdep and KASAN code writes more of the
# kernel's state than kernel_heap allows (a debug kernel is not where a
# filesystem runs under a kernel_heap policy): stock kernel only.
# kernels: stock
# smp: 2
# timeout: 400
# kmods: brd ext4 crc32c_generic
. /tests/lib.sh

SRC=/kcage/src/tests/attacks

field() {
	sed -n "s/^# $2: //p" "$SRC/$1.yaml"
}

address() {
	awk -v s="$1" -v m="${2:-}" \
		'$3 == s && ($4 == m || m == "") { print "0x" $1; exit }' /proc/kallsyms
}

# with_kernel_heap <atk_name>: its policy, kernel_heap added, compiled.
with_kernel_heap() {
	cat > /tmp/kh_$1.yaml <<YAML
include: $SRC/$1.yaml
memory:
  builtin: [data, stack, heap, kernel_heap]
YAML
	/sbin/policyc /tmp/kh_$1.yaml -o /tmp/kh_$1.kcp || fail "policyc kh_$1"
}

# attack <atk_name> caught|allowed [module parameter]
attack() {
	with_kernel_heap $1
	param=${3:-}
	sym=$(field $1 address)
	[ -n "$sym" ] && param="$param target=$(address $sym)"
	target=$(field $1 target)
	[ -n "$target" ] && before=$(sh -c "$target")
	v0=$(stat violations)
	kcage load --policy /tmp/kh_$1.kcp $MODDIR/$1.ko $param || fail "$1: kcage load"
	echo 1 > /sys/kernel/debug/$1/run 2> /dev/null
	caught=$(($(stat violations) - v0))
	if [ "$2" = caught ]; then
		[ $caught -gt 0 ] || fail "$1: not caught under kernel_heap"
		[ -z "$target" ] || [ "$(sh -c "$target")" = "$before" ] ||
			fail "$1: target changed"
	else
		[ $caught -eq 0 ] || fail "$1: caught under kernel_heap ($caught)"
	fi
	if kcage status --json $1 | jq -e '.sandboxes[0].quarantined' > /dev/null; then
		kcage release $1 > /dev/null || fail "kcage release $1"
	fi
	kcage unload $1 > /dev/null || fail "kcage unload $1"
	echo "$1: $2 ($caught violations)"
}

# fs_policy <module>: enforce, every exported kernel function but a deny
# list and, by exact name (a pattern matches only exported functions),
# the static kernel functions they reach and every function of the four
# modules (jbd2 calls ext4's static callbacks through pointers), every function of the module an entry, kernel_heap;
# stores outside it logged.
fs_policy() {
	local stack=
	# objects ext4's callers pass from their own frames: grants
	[ $1 = ext4 ] && stack=", /kcage/src/tests/bench/policies/ext4-stack.yaml"
	cat > /tmp/$1.yaml <<YAML
module: $1
mode: enforce
include: [/kcage/src/policy/base/alloc.yaml$stack]
actions:
  write: log
memory:
  builtin: [data, stack, heap, kernel_heap]
calls:
  deny: [commit_creds, prepare_kernel_cred, override_creds]
  allow:
    - "*"
    # static kernel functions they reach (readdir's actors, static calls)
    - filldir
    - filldir64
    - compat_filldir
    - fillonedir
    - __static_call_return0
    - preempt_schedule
    - preempt_schedule_notrace
YAML
	awk '$4 ~ /^\[(brd|ext4|jbd2|mbcache)\]$/ && ($2 == "t" || $2 == "T") &&
	     $3 !~ /\./ { print "    - " $3 }' /tmp/syms | sort -u >> /tmp/$1.yaml
	echo "entries:" >> /tmp/$1.yaml
	awk -v m="[$1]" '$4 == m && ($2 == "t" || $2 == "T") { print "  - " $3 }' \
		/tmp/syms | sort -u >> /tmp/$1.yaml
	load_policy /tmp/$1.yaml
}

load_kcage
for a in atk_cred atk_modprobe_path atk_text atk_kcage_data; do
	attack $a caught
done
attack atk_heap_oob allowed keep=1	# the neighbour may be live

modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd"
modprobe ext4 || fail "modprobe ext4"
cat /proc/kallsyms > /tmp/syms
rmmod ext4 jbd2 mbcache brd || fail "rmmod"
for m in brd ext4 jbd2 mbcache; do
	fs_policy $m
done
kcage monitor --json > /tmp/ev.json &
monitor=$!
sleep 1
v0=$(stat violations)
modprobe brd rd_nr=1 rd_size=65536 || fail "modprobe brd (enforced)"
modprobe ext4 || fail "modprobe ext4 (enforced)"
modprobe crc32c_generic
/sbin/mke2fs -q -F -t ext4 /dev/ram0 || fail "mke2fs"
fs_workload /dev/ram0 ext4
/sbin/e2fsck -fn /dev/ram0 > /dev/null || fail "e2fsck"
n=$(($(stat violations) - v0))
sleep 1
kill $monitor
echo "ext4 under kernel_heap policies: $n stores logged"
# None: ext4's stores into dynamic per-CPU data (its locality groups,
# through per_cpu_ptr() into per-CPU chunks in vmalloc space, and its
# counters through %gs) are kernel_heap's too.  The events say which
# store was refused (the log lines are rate-limited).
jq -r 'select(.type == "violation") | "\(.module) \(.kind) \(.action) \(.detail) \(.addr) \(.symbol)"' \
	/tmp/ev.json > /tmp/viol
if [ $n -ne 0 ]; then
	sort -u -k4,6 /tmp/viol | head -20
	fail "$n stores outside kernel_heap"
fi
grep -q . /sys/kernel/debug/kcage/sandboxes || fail "no sandboxes"
grep 'quarantined=1' /sys/kernel/debug/kcage/sandboxes && fail "quarantined"
rmmod ext4 jbd2 mbcache brd || fail "rmmod (enforced)"
rmmod kcage || fail "rmmod kcage"
