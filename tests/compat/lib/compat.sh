# The compatibility corpus (tests/compat/*.sh): a real Debian
# module runs a workload that checks its own results four times:
#
#   native      without kcage.ko;
#   translated  sandboxed, translate-only (kcage.ko sandbox=MODULES);
#   learn       sandboxed under "mode: learn" policies that allow only a
#               base policy: the module's in COMPAT_BASES ("module:base"
#               pairs, e.g. "ext4:filesystem brd:blockdev"), else the
#               kmalloc family (policy/base/alloc.yaml); events recorded
#               with kcage monitor --json;
#   enforced    sandboxed under the policies policyc --learn wrote from
#               them, enforced.
#
# The translated and enforced runs must give the native run's result,
# without native code of the module running.  Each workload defines
# compat_setup (load the modules, prepare), compat_work (the workload:
# its result on standard output, non-zero exit if it fails) and
# compat_teardown (unload), and ends with compat_run NAME MODULES
# DESCRIPTION; MODULES are comma-separated.  One line per workload,
#
#   KCAGE-COMPAT NAME modules=M native=ok translated=ok learned=N enforced=ok violations=0 desc=...
#
# is what tests/compat/table.py makes docs/compatibility.md's table of.

COMPAT_DIR=/tmp/compat

compat_msg() {
	echo "KCAGE-COMPAT $*" > /dev/kmsg
	echo "KCAGE-COMPAT $*"
}

# compat_phase <phase>: setup, work, teardown; the result in
# $COMPAT_DIR/<phase>.out; ok, or what went wrong.
compat_phase() {
	out=$COMPAT_DIR/$1.out
	if ! (compat_setup) > $COMPAT_DIR/$1.log 2>&1; then
		echo "setup_failed"
		return
	fi
	if ! (compat_work) > $out 2>> $COMPAT_DIR/$1.log; then
		(compat_teardown) >> $COMPAT_DIR/$1.log 2>&1
		echo "failed"
		return
	fi
	if [ "$1" != native ]; then
		for m in $(echo "$COMPAT_MODS" | tr , ' '); do
			grep -q "^$m " /proc/modules || continue
			grep -q "^$m " /sys/kernel/debug/kcage/sandboxes || {
				(compat_teardown) > /dev/null 2>&1
				echo "not_sandboxed:$m"
				return
			}
		done
	fi
	if ! (compat_teardown) >> $COMPAT_DIR/$1.log 2>&1; then
		echo "teardown_failed"
		return
	fi
	if [ "$1" != native ] && ! cmp -s $COMPAT_DIR/native.out $out; then
		echo "wrong_result"
		return
	fi
	echo ok
}

# compat_base <module>: the base policy it learns from (see the top).
compat_base() {
	for pair in $COMPAT_BASES; do
		[ "${pair%%:*}" = "$1" ] && { echo "${pair#*:}"; return; }
	done
	echo alloc
}

compat_learn_policies() {
	for m in $(echo "$COMPAT_MODS" | tr , ' '); do
		cat > $COMPAT_DIR/$m.yaml <<YAML
module: $m
mode: learn
include: /kcage/src/policy/base/$(compat_base $m).yaml
YAML
		load_policy $COMPAT_DIR/$m.yaml
	done
}

# compat_learned: each module's policy from the events; the number of
# rules it has (lines that allow something).
compat_learned() {
	n=0
	for m in $(echo "$COMPAT_MODS" | tr , ' '); do
		policyc --learn -m $m -b $m.yaml $COMPAT_DIR/events.json \
			-o $COMPAT_DIR/$m-learned.yaml 2> /dev/null ||
			printf 'module: %s\nmode: enforce\ninclude: [%s.yaml]\n' $m $m \
				> $COMPAT_DIR/$m-learned.yaml	# nothing seen
		# for table.py --learned (kernel messages may come in between)
		sed "s|^|KCAGE-LEARNED $COMPAT_NAME $m |" $COMPAT_DIR/$m-learned.yaml >&2
		load_policy $COMPAT_DIR/$m-learned.yaml >&2
		n=$((n + $(grep -c '^ *- ' $COMPAT_DIR/$m-learned.yaml)))
	done
	echo $n
}

# compat_show_violations <events.json>: each distinct violation once, with
# how often it was seen (the log lines are rate-limited, the events not).
compat_show_violations() {
	jq -r 'select(.type == "violation") |
		"\(.module) \(.kind) \(.action) \(.symbol) \(.detail) \(.rule) \(.target // "")"' "$1" |
		sort | uniq -c | sort -rn | head -20
}

compat_workload() {
	rm -rf $COMPAT_DIR
	mkdir -p $COMPAT_DIR
	native=$(compat_phase native)
	[ "$native" = ok ] || { echo "$native"; cat $COMPAT_DIR/native.log; return 1; }

	load_kcage sandbox=$COMPAT_MODS
	translated=$(compat_phase translated)
	[ "$(stat native_execs)" -eq 0 ] || translated=native_code_ran
	rmmod kcage || return 1

	load_kcage
	compat_learn_policies
	kcage monitor --json > $COMPAT_DIR/events.json 2> /dev/null &
	mon=$!
	sleep 1
	learn=$(compat_phase learn)
	sleep 1
	kill $mon
	wait $mon 2> /dev/null
	learned=$(compat_learned)
	kcage monitor --json > $COMPAT_DIR/enforced.json 2> /dev/null &
	mon=$!
	sleep 1
	v0=$(stat violations)
	enforced=$(compat_phase enforced)
	violations=$(($(stat violations) - v0))
	sleep 1
	kill $mon
	wait $mon 2> /dev/null
	[ "$(stat native_execs)" -eq 0 ] || enforced=native_code_ran
	if [ $violations -ne 0 ]; then
		compat_show_violations $COMPAT_DIR/enforced.json
		[ "$enforced" = ok ] && enforced=violations
	fi
	rmmod kcage || return 1
	compat_msg "$COMPAT_NAME modules=$COMPAT_MODS native=$native translated=$translated learn=$learn learned=$learned enforced=$enforced violations=$violations desc=$COMPAT_DESC"
	[ "$translated" = ok ] && [ "$learn" = ok ] && [ "$enforced" = ok ]
}

# compat_exit: the script's exit status.
compat_exit() {
	[ -z "$COMPAT_FAILED" ] || fail "not compatible:$COMPAT_FAILED"
	exit 0
}

COMPAT_FAILED=

# compat_run NAME MODULES DESCRIPTION
compat_run() {
	COMPAT_NAME=$1 COMPAT_MODS=$2 COMPAT_DESC=$(echo "$3" | tr ' ' '_')
	if ! (compat_workload); then
		for p in translated learn enforced; do
			[ -e $COMPAT_DIR/$p.log ] && { echo "--- $p.log"; tail -20 $COMPAT_DIR/$p.log; }
		done
		workload_cleanup compat_teardown
		COMPAT_FAILED="$COMPAT_FAILED $1"
	fi
}
