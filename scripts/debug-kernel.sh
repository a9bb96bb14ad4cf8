#!/bin/sh
# Build (once) and cache kcage's debug/KUnit kernel from Debian's
# linux-source-6.1.  The cache key is the source version plus a hash of the
# config fragment, so editing the fragment triggers a rebuild and nothing
# else does.  Prints KDBG_TREE=<built tree> and KDBG_MODS=<modules root>.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
frag=$top/tests/kunit/debug-kernel.config
eval "$(KCAGE_NEED_SOURCE=1 "$top/scripts/deps.sh")"

key=$KSRCVER-$(cat "$frag" "$0" | sha256sum | cut -c1-12)
dir=$KCAGE_CACHE/debug-kernel/$key
tree=$dir/linux-source-6.1
log() { echo "debug-kernel: $*" >&2; }

configure_and_build() {
	cd "$tree" &&
	make -s x86_64_defconfig &&
	./scripts/kconfig/merge_config.sh -m .config \
		kernel/configs/kvm_guest.config "$frag" &&
	make -s olddefconfig &&
	"$top/scripts/check-config.sh" .config "$frag" &&
	make -j"$(nproc)" bzImage modules &&
	make -s modules_install INSTALL_MOD_PATH="$dir/modroot" \
		INSTALL_MOD_STRIP=1
}

if [ ! -f "$dir/.done" ]; then
	log "building $key (cold: ~10 min on 2 cores); log in $dir/build.log"
	rm -rf "$dir" && mkdir -p "$dir"
	tar -C "$dir" -xJf "$KCAGE_CACHE/linux-source/$KSRCVER/linux-source-6.1.tar.xz"
	if ! (configure_and_build) >"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		log "build failed; full log: $dir/build.log"
		exit 1
	fi
	touch "$dir/.done"
fi
echo "KDBG_TREE=$tree"
echo "KDBG_MODS=$dir/modroot"
echo "KDBG_IMAGE=$tree/arch/x86/boot/bzImage"
