#!/bin/sh
# Fail if a "=y"/"=m" request of a config fragment did not survive
# olddefconfig (a silently dropped KASAN or lockdep would make the debug
# kernel useless without anyone noticing).
set -eu
config=$1
frag=$2
bad=0
for want in $(grep -E '^CONFIG_[A-Z0-9_]+=(y|m)$' "$frag"); do
	if ! grep -qx "$want" "$config"; then
		echo "config: $want was dropped by olddefconfig" >&2
		bad=1
	fi
done
exit $bad
