# The phase machinery of make bench's VM workloads, sourced after
# /tests/lib.sh by each tests/bench/vm/<workload>.sh.
#
# A workload defines three functions, then calls bench_run:
#
#   bench_setup      load what the workload uses; the modules it sandboxes
#                    load here, so they come up native, translated or
#                    enforced as the mode says
#   bench_work       the measured work; its standard output must be a
#                    checksum of what it computed
#   bench_teardown   unload what bench_setup loaded
#   bench_sum        (optional) more checksum, computed after the measured
#                    span: checks too costly to measure, such as reading a
#                    file system back
#   bench_warm       (optional) the warm-up, if a smaller one than
#                    bench_work runs the same code
#
#   bench_run NAME MODULES DESCRIPTION
#
# runs the workload three times: "native" (without kcage.ko, which
# decodes every module that loads), then, with a fresh kcage.ko,
# "translated" (MODULES, comma-separated, named in kcage's sandbox
# parameter before they load) and "enforced" (each of MODULES under its
# policy: tests/bench/policies/<module>.yaml, else
# examples/policies/<module>.yaml, else a blanket audit-mode policy).
#
# Each run warms up with bench_warm (translation happens there;
# BENCH_WARM=0: none), then brackets bench_work with markers
# (BENCH_SPANS=self: bench_work calls bench_span begin|end itself, as
# often as it likes), once, or kcage_bench_reps= times (kernel command
# line), the report taking the fastest: the wall-clock boot's defence
# against a busy host.
#
# The checksums must be equal in the three modes, and under enforce-mode
# policies the enforced run (module loads and unloads included) must see
# no violation: a benchmark of wrong code, or of code that was stopped,
# measures nothing.  A workload that fails does not stop the next one of
# its script; bench_exit reports failures.
#
# What tests/bench/report.py reads from the console:
#
#   KCAGE-BENCH desc NAME text            what the workload does
#   KCAGE-BENCH rep NAME MODE             a repetition of bench_work starts
#   KCAGE-BENCH begin|end NAME MODE       a measured span
#   KCAGE-BENCH sum NAME MODE checksum    equal across modes
#   KCAGE-BENCH info NAME key=value       policy=, violations=, per=N unit
#   KCAGE-BENCH stat NAME MODE key=value  kcage's counters after MODE
#   KCAGE-BENCH fail NAME reason          the workload failed
#
# BENCH_PER="N unit" before bench_run: the report also gives the cost
# per unit.  BENCH_EVENTS=1 (to write a policy: set it in a copy of a
# workload script) prints the enforced run's violations, summarized.

BENCH_POLICIES="/kcage/src/tests/bench/policies /kcage/src/examples/policies"
BENCH_WARM=1
BENCH_REPS=$(sed -n 's/.*kcage_bench_reps=\([0-9]*\).*/\1/p' /proc/cmdline)
BENCH_REPS=${BENCH_REPS:-1}
BENCH_SPANS=phase
BENCH_PER=
BENCH_EVENTS=0
BENCH_NAME=
BENCH_MODE=
BENCH_FAILED=

bench_msg() {
	echo "KCAGE-BENCH $*" > /dev/kmsg
}

# fail (tests/lib.sh), telling the report too; in an enforced run, with
# the last violation kcage stopped (if its log line was not rate-limited).
fail() {
	why="$*"
	if [ "$BENCH_MODE" = enforced ]; then
		v=$(dmesg | grep 'kcage: violation' | grep -v 'action=log' | tail -n 1 |
			sed 's/.*\(module=[^ ]*\) \(kind=[^ ]*\) [^ ]* \(pc=[^ ]*\) \(addr=[^ ]*\).*/\1 \2 \3 \4/')
		a=$(echo "$v" | sed -n 's/.*addr=0x//p')
		a=$(grep -m1 "^$a " /proc/kallsyms | cut -d' ' -f3)
		[ -z "$v" ] || why="$why (last violation stopped: $v${a:+ = $a})"
	fi
	bench_msg "fail ${BENCH_NAME:-?} ${BENCH_MODE:+$BENCH_MODE: }$why"
	echo "FAIL: $why"
	exit 1
}

bench_sum() {
	:
}

bench_warm() {
	bench_work
}

# bench_span begin|end: mark the current workload and mode.
bench_span() {
	bench_msg "$1 $BENCH_NAME $BENCH_MODE"
}

# bench_info key=value: a fact about the current workload.
bench_info() {
	bench_msg "info $BENCH_NAME $1"
}

# bench_fs_rounds <dev> <fstype>: $ROUNDS runs of the file workload
# (tests/lib.sh) on the file system.
bench_fs_rounds() {
	r=0
	while [ $r -lt $ROUNDS ]; do
		fs_run_workload $1 $2
		r=$((r + 1))
	done
}

# bench_fs_sum <dev> <fstype>: a checksum of every file on the file
# system (mounted for the purpose).
bench_fs_sum() {
	mount -t $2 $1 /mnt || fail "mount $2 for the checksum"
	(cd /mnt && find . -type f | sort | xargs sha256sum) | sha256sum | cut -c1-16
	umount /mnt || fail "umount $2 after the checksum"
}

# bench_stats: kcage's counters, one kmsg record each (a record holds
# one line).
bench_stats() {
	while read -r kv; do
		bench_msg "stat $BENCH_NAME $BENCH_MODE $kv"
	done < /sys/kernel/debug/kcage/stats
}

# bench_policy_file <module>: the policy its enforced run loads, if any.
bench_policy_file() {
	for d in $BENCH_POLICIES; do
		[ -e "$d/$1.yaml" ] && { echo "$d/$1.yaml"; return; }
	done
}

# bench_policies <modules>: load a policy for each.  Violations are
# then counted, not failures, for the modules whose policy only audits
# (a blanket one where the benchmark has none) or logs some kinds of
# violation instead of stopping them; the "policy" info says which.
bench_policies() {
	audit= logged=
	for m in $(echo "$1" | tr , ' '); do
		f=$(bench_policy_file $m)
		if [ -z "$f" ]; then
			audit_policy $m false
			audit="$audit,$m(blanket)"
			continue
		fi
		load_policy "$f"
		if grep -q '^mode: *audit' "$f"; then
			audit="$audit,$m"
		elif grep -Eq '^(default_action| +[a-z]+): *log *(#|$)' "$f"; then
			logged="$logged,$m"
		fi
	done
	BENCH_LENIENT=$audit$logged
	label=${audit:+ audit:${audit#,}}${logged:+ logged:${logged#,}}
	bench_info "policy=${label:- enforce}"
}

# bench_sandboxed: the workload's modules that are loaded now run
# sandboxed (one that an earlier load pulled in would not be).
bench_sandboxed() {
	for m in $(echo "$BENCH_MODS" | tr , ' '); do
		grep -q "^$m " /proc/modules || continue
		grep -q "^$m " /sys/kernel/debug/kcage/sandboxes ||
			fail "$m is not sandboxed"
	done
}

bench_events_start() {
	[ "$BENCH_EVENTS" = 1 ] || return 0
	rm -f /tmp/bench.kallsyms
	kcage monitor --json > /tmp/bench.events 2> /dev/null &
	BENCH_MONITOR=$!
	trap bench_events_stop EXIT	# a failed run's events too
}

# bench_events_stop: the violations, by module, kind, the function that
# made them, the symbol of their address (a call's target, or what a
# store hit; heap addresses give nonsense) and rule.
bench_events_stop() {
	[ "$BENCH_EVENTS" = 1 ] || return 0
	trap - EXIT
	kill $BENCH_MONITOR
	# Module symbols: as they were before bench_teardown unloaded them.
	[ -e /tmp/bench.kallsyms ] || cp /proc/kallsyms /tmp/bench.kallsyms
	wait $BENCH_MONITOR 2> /dev/null
	jq -r 'select(.type == "violation") | [.module, .kind,
		(.symbol | sub("\\+.*"; "")), (.addr | ltrimstr("0x")), .rule,
		.detail] | join(" ")' /tmp/bench.events > /tmp/bench.ev
	# The symbol at or below each address: hex strings of one length
	# sort as their numbers do.
	{
		cut -d' ' -f4 /tmp/bench.ev | sort -u | sed 's/$/ ~/'
		cut -d' ' -f1,3 /tmp/bench.kallsyms
	} | sort | awk '$2 == "~" { print $1, last; next } { last = $2 }' > /tmp/bench.sym
	awk 'NR == FNR { sym[$1] = $2; next } { $4 = sym[$4]; print }' \
		/tmp/bench.sym /tmp/bench.ev | sort | uniq -c | sort -rn | head -80
	echo "first of each (module kind function address rule detail):"
	sort -u -k1,3 /tmp/bench.ev | head -40
}

# bench_mode <mode>: one run of the current workload; its checksum goes
# to /tmp/bench.<name>.<mode>.
bench_mode() {
	BENCH_MODE=$1
	bench_out=/tmp/bench.$BENCH_NAME.$1
	bench_setup || fail "setup"
	if [ "$BENCH_WARM" = 1 ]; then
		bench_warm > $bench_out || fail "warm-up"
	fi
	bench_rep=0		# sh has no locals: a name workloads do not use
	while [ $bench_rep -lt $BENCH_REPS ]; do
		bench_msg "rep $BENCH_NAME $1"
		[ "$BENCH_SPANS" = self ] || bench_span begin
		bench_work > $bench_out || fail "work"
		[ "$BENCH_SPANS" = self ] || bench_span end
		bench_rep=$((bench_rep + 1))
	done
	[ $1 = native ] || bench_sandboxed
	bench_sum >> $bench_out || fail "checksum"
	[ "$BENCH_EVENTS" = 1 ] && cp /proc/kallsyms /tmp/bench.kallsyms
	bench_teardown || fail "teardown"
	bench_msg "sum $BENCH_NAME $1 $(tr '\n' ' ' < $bench_out)"
	[ $1 = native ] || cmp -s /tmp/bench.$BENCH_NAME.native $bench_out ||
		fail "computed $(cat $bench_out), native $(cat /tmp/bench.$BENCH_NAME.native)"
}

bench_workload() {
	bench_msg "desc $1 $3"
	[ -z "$BENCH_PER" ] || bench_info "per=$BENCH_PER"
	if grep -q '^kcage ' /proc/modules; then
		rmmod kcage || fail "kcage.ko stays loaded after an earlier failure"
	fi
	bench_mode native		# the stock kernel: no kcage.ko
	load_kcage sandbox=$2
	bench_mode translated
	[ "$(stat blocks)" -gt 0 ] || fail "nothing translated"
	[ "$(stat native_execs)" -eq 0 ] || fail "native code executed"
	bench_stats
	bench_policies "$2"
	bench_before=$(stat violations)
	bench_events_start
	bench_mode enforced
	bench_violations=$(($(stat violations) - bench_before))
	bench_events_stop
	bench_info "violations=$bench_violations"
	bench_stats
	if [ -z "$BENCH_LENIENT" ] && [ "$bench_violations" -ne 0 ]; then
		grep . /sys/kernel/debug/kcage/sandboxes
		dmesg | grep 'kcage: violation' | tail -20
		fail "$bench_violations violations under enforce-mode policies"
	fi
	rmmod kcage || fail "rmmod kcage"
}

# bench_run NAME MODULES DESCRIPTION: see the top of this file.
bench_run() {
	BENCH_NAME=$1 BENCH_MODS=$2
	if ! (bench_workload "$@"); then
		BENCH_FAILED="$BENCH_FAILED $1"
		workload_cleanup bench_teardown
	fi
	BENCH_NAME= BENCH_MODE= BENCH_PER=
}

# bench_exit: the script's exit status.
bench_exit() {
	[ -z "$BENCH_FAILED" ] || { echo "FAIL: workloads failed:$BENCH_FAILED"; exit 1; }
	exit 0
}
