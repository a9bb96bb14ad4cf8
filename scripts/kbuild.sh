#!/bin/sh
# Build an out-of-tree module directory against one kernel tree, out of the
# source tree: kbuild on 6.1 writes objects next to the sources, so the
# sources are mirrored as symlinks into the output directory first.  This
# lets the same kmod/ build for the stock and the debug kernel side by side.
#
#   kbuild.sh <kernel build dir> <source dir> <output dir> [make args...]
#
# A source dir containing a file "Kbuild" that mentions zydis/ also gets the
# Zydis source (from the cache) and the Zycore headers linked in.
set -eu

kdir=$1 src=$(cd "$2" && pwd) out=$3
shift 3

mkdir -p "$out"
out=$(cd "$out" && pwd)
cp -rsf "$src/." "$out/"
# Drop links whose source file went away (renames, deletions).
find "$out" -xtype l -delete

if grep -qs 'zydis/' "$src/Kbuild"; then
	eval "$("$(dirname "$0")/deps.sh")"
	mkdir -p "$out/zydis" "$out/zycore"
	cp -rsf "$KCAGE_CACHE/zydis/4.0.0/src/include" \
		"$KCAGE_CACHE/zydis/4.0.0/src/src" "$out/zydis/"
	ln -sfn /usr/include/Zycore "$out/zycore/Zycore"
fi

# kcage.ko also builds the policy codec shared with policyc (policy/) and
# its UAPI header (include/).
if grep -qs 'policy/' "$src/Kbuild"; then
	for d in policy include; do
		mkdir -p "$out/$d"
		cp -rsf "$src/../$d/." "$out/$d/"
	done
fi

exec make -C "$kdir" M="$out" "$@" modules
