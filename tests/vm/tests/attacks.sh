#!/bin/sh
# The attack suite (tests/attacks/): every atk_<attack>.ko is
# loaded with `kcage load` under its policy atk_<attack>.yaml and its
# attack run once.  The policy's "# expect:" line says what must happen:
# the violation's kind, action and rule in the `kcage monitor --json`
# event and in the kernel log line with the same sequence number, and the
# error the writing shell sees (errno=none: the refused call returned
# -EPERM to the module, which went on).  "# target:" is a command whose
# output (the protected target, seen from outside) must not change;
# "# address: SYMBOL [[module]]" is passed to the module as target=.
# "# expect: no-violation errno=E": what the module does is allowed and
# must cause no violation; "# check: COMMAND" (optional) must then
# succeed, run after the attack while the module is still loaded.
# After each attack the kernel must still work; a quarantined module is
# released, then every module is unloaded.  No native code of a sandboxed
# module may have run.  "# expect: unstopped" checks only the last two.
# "# expect: refused_at_load" (the loader-metadata attacks): the load
# itself must fail, naming the section (lib/loader.sh).
# smp: 2
# timeout: 1200
. /tests/lib.sh
. /tests/lib/loader.sh

SRC=/kcage/src/tests/attacks

# field <file> <key>: the value of the policy's "# key: value" comment.
field() {
	sed -n "s/^# $2: //p" "$1"
}

# address <symbol> [[module]]: its address in /proc/kallsyms, 0x...
address() {
	awk -v s="$1" -v m="${2:-}" \
		'$3 == s && ($4 == m || m == "") { print "0x" $1; exit }' /proc/kallsyms
}

# nr_events: violation events the JSON monitor printed so far.
nr_events() {
	jq -s '[.[] | select(.type == "violation")] | length' /tmp/ev.json
}

# event <n>: the n-th violation event (from 0).
event() {
	jq -c -s "[.[] | select(.type == \"violation\")][$1]" /tmp/ev.json
}

# wait_event <n>: until there are more than n events (at most 10 s).
wait_event() {
	for i in $(seq 100); do
		[ "$(nr_events)" -gt "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# errno_of <stderr of the write>: EPERM, EIO, ..., or none.
errno_of() {
	case "$(cat "$1")" in
	"") echo none ;;
	*"Operation not permitted"*) echo EPERM ;;
	*"I/O error"* | *"Input/output error"*) echo EIO ;;
	*"Bad address"*) echo EFAULT ;;
	*"Invalid argument"*) echo EINVAL ;;
	*) cat "$1" ;;
	esac
}

# logged <event json>: the kernel log has its line, field for field.
logged() {
	line=$(echo "$1" | jq -r '"kcage: violation seq=\(.seq) module=\(.module) kind=\(.kind) action=\(.action) pc=\(.symbol) addr=\(.addr) size=\(.size) cpu=\(.cpu) pid=\(.pid) comm=\(.comm) rule=\(.rule) detail=\(.detail) "')
	dmesg | grep -qF "$line" || fail "$name: no log line: $line"
}

# alive: the kernel still forks, reads and answers kcage.
alive() {
	cat /proc/uptime > /dev/null || fail "$name: /proc/uptime"
	sh -c true || fail "$name: fork"
	kcage status > /dev/null || fail "$name: kcage status"
}

# check_violation <expectation> <events before>: the first new event.
check_violation() {
	wait_event $2 || fail "$name: no event"
	ev=$(event $2)
	for kv in $1; do
		key=${kv%%=*} want=${kv#*=}
		[ $key = errno ] && continue
		got=$(echo "$ev" | jq -r ".$key")
		# a|b: either (rules name kernel functions, which differ between kernels)
		case "|$want|" in *"|$got|"*) continue ;; esac
		{
			addr=$(echo "$ev" | jq -r .addr)
			grep "^${addr#0x} " /proc/kallsyms
			fail "$name: $key=$got, expected $want: $ev"
		}
	done
	[ "$(echo "$ev" | jq -r .module)" = $name ] || fail "$name: event of another module: $ev"
	logged "$ev"
	nr_logged=$((nr_logged + 1))
	echo "$name: $(echo "$ev" | jq -r '"seq=\(.seq) kind=\(.kind) action=\(.action) rule=\(.rule) pc=\(.symbol) detail=\(.detail)"')"
}

# attack <policy>: load, run and check one attack module.
attack() {
	name=$(basename $1 .yaml)
	expect=$(field $1 expect)
	target=$(field $1 target)
	check=$(field $1 check)
	sym=$(field $1 address)
	param=
	if [ -n "$sym" ]; then
		param=target=$(address $sym)
		[ "$param" != target= ] || fail "$name: no address for $sym"
	fi
	# violation lines are rate-limited to 10 per 5 s: a fresh window
	if [ $nr_logged -ge 7 ]; then
		sleep 5
		nr_logged=0
	fi
	/sbin/policyc $1 -o /tmp/$name.kcp || fail "$name: policyc"
	kcage load --policy /tmp/$name.kcp $MODDIR/$name.ko $param ||
		fail "$name: kcage load"
	before=$(eval "$target" 2>&1)
	n=$(nr_events)
	# in this shell, not a subshell: atk_cred attacks its credentials
	echo 1 2> /tmp/atk.err > /sys/kernel/debug/$name/run
	errno=$(errno_of /tmp/atk.err)
	case "$expect" in
	unstopped)
		echo "$name: unstopped, errno=$errno" ;;
	no-violation*)
		sleep 1
		[ "$(nr_events)" -eq $n ] || fail "$name: a violation: $(event $n)"
		want=$(echo "$expect" | sed -n 's/.*errno=\([^ ]*\).*/\1/p')
		[ "$errno" = "$want" ] || fail "$name: errno $errno, expected $want" ;;
	*)
		check_violation "$expect" $n
		want=$(echo "$expect" | sed -n 's/.*errno=\([^ ]*\).*/\1/p')
		[ "$errno" = "$want" ] || fail "$name: errno $errno, expected $want" ;;
	esac
	if [ -n "$check" ]; then
		eval "$check" || fail "$name: check failed: $check"
	fi
	after=$(eval "$target" 2>&1)
	[ "$before" = "$after" ] || fail "$name: target changed: '$before' -> '$after'"
	alive
	if kcage status --json $name | jq -e '.sandboxes[0].quarantined' > /dev/null; then
		kcage release $name || fail "$name: kcage release"
	fi
	kcage unload $name || fail "$name: kcage unload"
	echo "PASS-ATTACK $name: $expect"
}

load_kcage
kcage monitor --json > /tmp/ev.json 2> /tmp/ev.err &
monitor=$!
# a failed attack exits the script: the monitor must not outlive it
trap 'kill $monitor 2> /dev/null' EXIT
sleep 2	# it has joined the group
nr_logged=0
count=0
for policy in $SRC/atk_*.yaml; do
	case $(field $policy expect) in
	refused_at_load) refused_at_load $policy ;;
	*) attack $policy ;;
	esac
	count=$((count + 1))
done
[ $count -ge 30 ] || fail "only $count attacks"
kill $monitor
wait
jq -e -s 'map(select(.type == "lost")) == []' /tmp/ev.json > /dev/null ||
	fail "events reported lost"
[ "$(stat native_execs)" -eq 0 ] || fail "native code of a sandboxed module ran"
rmmod kcage || fail "rmmod kcage"
