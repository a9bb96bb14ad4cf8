#!/bin/sh
# Build kcage.ko with dkms itself from a make install DESTDIR tree, for
# one kernel, in a private DKMS tree (nothing is registered or installed
# on the host), and put it where "dkms install" puts it:
# ROOT/lib/modules/KVER/updates/dkms/kcage.ko.
#
#   dkms-build.sh ROOT KVER VERSION WORK
set -eu

root=$1 kver=$2 version=$3 work=$4

rm -rf "$work/tree"
mkdir -p "$work/tree"
if ! dkms --dkmstree "$work/tree" --sourcetree "$root/usr/src" \
	build -m kcage -v "$version" -k "$kver" >"$work/dkms.log" 2>&1; then
	cat "$work/dkms.log" >&2
	echo "dkms-build.sh: dkms build failed (log above)" >&2
	exit 1
fi
install -D -m 644 "$work/tree/kcage/$version/$kver/x86_64/module/kcage.ko" \
	"$root/lib/modules/$kver/updates/dkms/kcage.ko"
