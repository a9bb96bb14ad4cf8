#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make install, checked on the host: tests/install/host.sh ROOT, where
# ROOT is a "make install DESTDIR=ROOT PREFIX=/usr" tree.  Prints
# "PASS install/host/NAME" or "FAIL install/host/NAME: why" per check and
# exits non-zero if any failed.  The tests in the VM (tests/install/vm/*.sh)
# then boot with ROOT as the guest's root.
set -u

ROOT=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0

pass() { echo "PASS install/host/$1"; }
fail() { echo "FAIL install/host/$1: $2"; failed=1; }
check() {
	name=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then
		pass "$name"
	else
		fail "$name" "$(head -5 "$TMP/out" | tr '\n' '|')"
	fi
}

VERSION=$(sed -n 's/^#define KCAGE_TOOL_VERSION\t"\(.*\)"/\1/p' "$TOP/tools/kcage.h")

files() {
	for f in usr/sbin/kcage usr/bin/policyc etc/init.d/kcage; do
		[ -x "$ROOT/$f" ] || { echo "$f is not executable"; return 1; }
	done
	for f in usr/share/man/man8/kcage.8 usr/share/man/man1/policyc.1 \
		 usr/share/man/man5/kcage.conf.5 usr/include/kcage/netlink.h \
		 usr/include/kcage/policy.h usr/lib/systemd/system/kcage.service \
		 usr/share/bash-completion/completions/kcage \
		 usr/share/bash-completion/completions/policyc \
		 etc/kcage/kcage.conf etc/modprobe.d/kcage.conf \
		 "usr/src/kcage-$VERSION/dkms.conf" "usr/src/kcage-$VERSION/Kbuild" \
		 "usr/src/kcage-$VERSION/zydis/src/Decoder.c"; do
		[ -f "$ROOT/$f" ] || { echo "no $f"; return 1; }
	done
	[ -d "$ROOT/etc/kcage/policies.d" ] || { echo "no etc/kcage/policies.d"; return 1; }
	for f in "$TOP"/policy/base/*.yaml; do
		cmp "$f" "$ROOT/usr/share/kcage/base/${f##*/}" || return 1
	done
}
check files files

# The installed policyc finds the installed base policies by themselves.
printf 'module: kc_x\ninclude: [base/printk.yaml]\n' >"$TMP/kc_x.yaml"
check policyc-installed-base "$ROOT/usr/bin/policyc" --check "$TMP/kc_x.yaml"
printf 'module: kc_y\ninclude: [base/no_such.yaml]\n' >"$TMP/kc_y.yaml"
if "$ROOT/usr/bin/policyc" --check "$TMP/kc_y.yaml" 2>"$TMP/err"; then
	fail policyc-missing-include "accepted an include that is nowhere"
else
	grep -q "cannot open included file" "$TMP/err" && pass policyc-missing-include ||
		fail policyc-missing-include "$(head -2 "$TMP/err" | tr '\n' '|')"
fi

check kcage-version "$ROOT/usr/sbin/kcage" --version

# groff's and man's warnings, for each page.
man_lint() {
	out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
	      man --warnings -E UTF-8 -l -Tutf8 -Z "$1" 2>&1 >/dev/null)
	[ -z "$out" ] || { echo "$out"; return 1; }
}
for page in man8/kcage.8 man1/policyc.1 man5/kcage.conf.5; do
	check "man-${page##*/}" man_lint "$ROOT/usr/share/man/$page"
done

check init-script-syntax sh -n "$ROOT/etc/init.d/kcage"
check init-script-lsb grep -q '^### BEGIN INIT INFO' "$ROOT/etc/init.d/kcage"
check systemd-unit systemd-analyze --man=no --root="$ROOT" verify /usr/lib/systemd/system/kcage.service

dkms_conf() {
	bash -c '. "$1"; [ "$PACKAGE_NAME" = kcage ] && [ "$PACKAGE_VERSION" = "$2" ] &&
		 [ "${BUILT_MODULE_NAME[0]}" = kcage ]' sh "$ROOT/usr/src/kcage-$VERSION/dkms.conf" "$VERSION"
}
check dkms-conf dkms_conf

# The UAPI headers stand alone.
printf '#include <kcage/netlink.h>\n#include <kcage/policy.h>\nint main(void) { return KCAGE_GENL_VERSION; }\n' >"$TMP/h.c"
check headers cc -fsyntax-only -I"$ROOT/usr/include" "$TMP/h.c"

# Completion, against the installed files.
KCAGE_COMPLETION_DIR="$ROOT/usr/share/bash-completion/completions" \
	"$TOP/tests/install/completion.sh" || failed=1

# make uninstall takes back all but /etc (and the guest's kmod, not ours).
uninstall() {
	cp -a "$ROOT" "$TMP/root"
	make -s -C "$TOP" uninstall DESTDIR="$TMP/root" PREFIX=/usr || return 1
	left=$(cd "$TMP/root" && find . -type f ! -path './etc/*' ! -path './sbin/*')
	[ -z "$left" ] || { echo "left: $left"; return 1; }
}
check uninstall uninstall

exit $failed
