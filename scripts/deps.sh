#!/bin/sh
# Install and cache everything kcage needs on a Debian 12 host.
#
# Host packages come from apt.  Things that must not touch the host
# (the guest kernel image, the kernel source, the Zydis source) are
# downloaded with apt and unpacked under $KCAGE_CACHE, keyed by version,
# so a second run does nothing.  Prints shell variable assignments that
# describe what it prepared (see scripts/env.sh).
set -eu

KCAGE_CACHE=${KCAGE_CACHE:-$HOME/.cache/kcage}
mkdir -p "$KCAGE_CACHE"

log() { echo "deps: $*" >&2; }

need_root() {
	if [ "$(id -u)" != 0 ]; then
		log "missing packages ($*) and not root; run as root once"
		exit 1
	fi
}

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	apt-get update -qq >&2
	apt_updated=1
}

# The Debian kernel ABI that the "linux-image-amd64" metapackage points at,
# e.g. 6.1.0-56-amd64.  Overridable with KCAGE_KVER.
kernel_abi() {
	if [ -n "${KCAGE_KVER:-}" ]; then
		echo "$KCAGE_KVER"
		return
	fi
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' |
		head -n1
}

# apt-get install what of "$@" is not installed yet.
install_packages() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	need_root "$missing"
	log "installing$missing"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >&2
}

# What make install needs: the tools' libraries, the DKMS tree's Zycore.
INSTALL_PKGS="make gcc libc6-dev libyaml-dev zlib1g-dev libzycore-dev libmnl-dev
	      pkg-config"

install_host_packages() {
	kver=$1
	install_packages $INSTALL_PKGS bc flex bison libelf-dev libssl-dev cpio \
		xz-utils dpkg-dev qemu-system-x86 busybox-static kmod python3 \
		binutils jq "linux-headers-$kver" valgrind qemu-user iproute2 \
		wireguard-tools xfsprogs squashfs-tools genisoimage dkms man-db \
		groff-base bash-completion
}

# Unpack the stock kernel image package (vmlinuz and its modules) into the
# cache; never into the host's /boot.
fetch_kernel_image() {
	kver=$1
	dir=$KCAGE_CACHE/kernel/$kver
	[ -f "$dir/.done" ] && return 0
	log "downloading linux-image-$kver"
	rm -rf "$dir" && mkdir -p "$dir/deb"
	(cd "$dir/deb" && apt-get download "linux-image-$kver" >&2)
	dpkg -x "$dir"/deb/*.deb "$dir/root"
	rm -rf "$dir/deb"
	# The package leaves modules.dep to its postinst; make it here.
	depmod -b "$dir/root" "$kver"
	touch "$dir/.done"
}

# Debian's linux-source-6.1: the tarball of the same tree as the stock
# kernel; the KUnit kernel is built from it.
fetch_kernel_source() {
	srcver=$(apt-cache policy linux-source-6.1 | sed -n 's/ *Candidate: //p')
	dir=$KCAGE_CACHE/linux-source/$srcver
	if [ ! -f "$dir/.done" ]; then
		log "downloading linux-source-6.1 $srcver"
		rm -rf "$dir" && mkdir -p "$dir/deb"
		(cd "$dir/deb" && apt-get download linux-source-6.1 >&2)
		dpkg -x "$dir"/deb/*.deb "$dir/pkg"
		mv "$dir"/pkg/usr/src/linux-source-6.1.tar.xz "$dir/"
		rm -rf "$dir/deb" "$dir/pkg"
		touch "$dir/.done"
	fi
	echo "$srcver"
}

# The Zydis 4.0.0 source from Debian's source package, through a private
# deb-src list so the host's apt configuration is left alone.
fetch_zydis() {
	dir=$KCAGE_CACHE/zydis/4.0.0
	[ -f "$dir/.done" ] && return 0
	log "downloading zydis source package"
	rm -rf "$dir" && mkdir -p "$dir/apt/lists/partial" "$dir/apt/sources" "$dir/dl"
	echo "deb-src http://deb.debian.org/debian bookworm main" \
		>"$dir/apt/sources/src.list"
	opts="-o Dir::Etc::SourceParts=$dir/apt/sources
	      -o Dir::Etc::SourceList=/dev/null
	      -o Dir::State::Lists=$dir/apt/lists"
	apt-get $opts update -qq >&2
	(cd "$dir/dl" && apt-get $opts source --download-only zydis=4.0.0-1 >&2 ||
		apt-get $opts source --download-only zydis >&2)
	mkdir -p "$dir/src"
	tar -C "$dir/src" --strip-components=1 -xzf "$dir"/dl/zydis_4.0.0.orig.tar.gz
	rm -rf "$dir/apt" "$dir/dl"
	touch "$dir/.done"
}

# make install: what building the tools and the DKMS tree needs, no more.
install_only() {
	install_packages $INSTALL_PKGS
	fetch_zydis
	echo "KCAGE_CACHE=$KCAGE_CACHE"
}

main() {
	if [ "${1:-}" = --install-only ]; then
		install_only
		return
	fi
	kver=$(kernel_abi)
	if [ -z "$kver" ]; then
		apt_update
		kver=$(kernel_abi)
	fi
	[ -n "$kver" ] || { log "cannot find the Debian 6.1 kernel ABI"; exit 1; }
	install_host_packages "$kver"
	fetch_kernel_image "$kver"
	fetch_zydis
	srcver=
	if [ "${KCAGE_NEED_SOURCE:-0}" = 1 ]; then
		srcver=$(fetch_kernel_source)
	fi
	echo "KCAGE_CACHE=$KCAGE_CACHE"
	echo "KVER=$kver"
	echo "KSRCVER=$srcver"
}

main "$@"
