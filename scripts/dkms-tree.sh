#!/bin/sh
# The DKMS source tree of kcage.ko (make install puts it in
# /usr/src/kcage-VERSION): kmod/ laid out as scripts/kbuild.sh lays out a
# build directory, with real copies instead of symlinks and the third-party
# sources it needs included (Zydis's decoder, Zycore's headers), so that a
# machine needs only its kernel's headers and dkms to build it.
#
#   dkms-tree.sh DEST VERSION ZYDIS_SRC
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dest=$1 version=$2 zydis=$3

[ -d "$zydis/src" ] || { echo "dkms-tree.sh: no Zydis source in $zydis" >&2; exit 1; }
[ -d /usr/include/Zycore ] || { echo "dkms-tree.sh: no /usr/include/Zycore (libzycore-dev)" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest/policy" "$dest/include" "$dest/zydis" "$dest/zycore"
cp -R "$top/kmod/." "$dest/"
cp "$top"/policy/*.c "$top"/policy/*.h "$dest/policy/"
cp -R "$top/include/uapi" "$dest/include/"
cp -R "$zydis/include" "$zydis/src" "$zydis/LICENSE" "$dest/zydis/"
cp -R /usr/include/Zycore "$dest/zycore/"
cp /usr/share/doc/libzycore-dev/copyright "$dest/zycore/" 2>/dev/null || true
sed "s/@VERSION@/$version/g" "$top/dist/dkms/dkms.conf.in" >"$dest/dkms.conf"
