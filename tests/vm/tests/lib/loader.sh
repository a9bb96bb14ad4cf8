# Loader-metadata attacks (tests/attacks/atk_ld_*): "# expect: refused_at_load".
# Sourced by attacks.sh and loader_metadata.sh, after /tests/lib.sh.
#
#   # section: NAME        the kernel log must say the module was refused
#                          naming this section
#   # bytes: SYMBOL        16 bytes of the kernel at SYMBOL must not change
#   # load-args: A=B ...   module parameters given at load
#   # target: COMMAND      its output must not change

# ld_field <policy> <key>: the value of its "# key: value" comment.
ld_field() {
	sed -n "s/^# $2: //p" "$1"
}

# kernel_bytes <symbol>: 16 bytes of the kernel at it, in hex (kc_bytes).
kernel_bytes() {
	a=$(awk -v s="$1" '$3 == s && NF == 3 { print $1; exit }' /proc/kallsyms)
	[ -n "$a" ] || fail "no address for $1"
	insmod $MODDIR/kc_bytes.ko addr=0x$a len=16 || fail "kc_bytes $1"
	line=$(dmesg | grep "kc_bytes: $a " | tail -1)
	rmmod kc_bytes
	echo "${line##* }"
}

# refused_at_load <policy>: `kcage load` under the policy must fail, the
# kernel log must name the module and the section, the module must not be
# left loaded, and the kernel bytes and target must be unchanged.
refused_at_load() {
	name=$(basename $1 .yaml)
	sec=$(ld_field $1 section)
	sym=$(ld_field $1 bytes)
	args=$(ld_field $1 load-args)
	target=$(ld_field $1 target)
	[ -n "$sec" ] || fail "$name: no '# section:'"
	/sbin/policyc $1 -o /tmp/$name.kcp || fail "$name: policyc"
	bytes_before= bytes_after=
	[ -z "$sym" ] || bytes_before=$(kernel_bytes $sym)
	before=$(eval "$target" 2>&1)
	# shellcheck disable=SC2086
	if kcage load --policy /tmp/$name.kcp $MODDIR/$name.ko $args 2> /tmp/ld.err; then
		fail "$name: loaded"
	fi
	dmesg | grep -F "kcage: module $name refused: section $sec " ||
		fail "$name: no refusal naming $sec: $(cat /tmp/ld.err)"
	grep -q "^$name " /proc/modules && fail "$name: left loaded"
	[ -z "$sym" ] || bytes_after=$(kernel_bytes $sym)
	[ "$bytes_before" = "$bytes_after" ] ||
		fail "$name: kernel bytes at $sym changed: $bytes_before -> $bytes_after"
	after=$(eval "$target" 2>&1)
	[ "$before" = "$after" ] || fail "$name: target changed: '$before' -> '$after'"
	cat /proc/uptime > /dev/null || fail "$name: /proc/uptime"
	sh -c true || fail "$name: fork"
	kcage status > /dev/null || fail "$name: kcage status"
	echo "PASS-ATTACK $name: refused_at_load section=$sec${sym:+ bytes($sym)=$bytes_after}"
}
