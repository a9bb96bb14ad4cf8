#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Check the kernel-doc comments of kmod/ with the kernel's own checker:
# every documented function, struct and enum must describe each of its
# parameters, members and values, under its real name.
#
#   check-kernel-doc.sh <kernel build dir> [source dir]
#
# The checker is scripts/kernel-doc of the kernel build dir; for Debian's
# linux-headers-6.1.0-*-amd64 (scripts/deps.sh installs it) that is
# linux-kbuild-6.1's copy.  Prints one PASS/FAIL line for make check,
# after the warnings if any; exits 1 on a warning or without the checker.
set -u

kdir=${1:?usage: check-kernel-doc.sh <kernel build dir> [source dir]}
src=${2:-kmod}
kdoc=$kdir/scripts/kernel-doc

if [ ! -f "$kdoc" ]; then
	echo "FAIL kernel-doc: no $kdoc (linux-headers package not installed?)"
	exit 1
fi
files=$(find "$src" -name '*.[ch]' -not -path '*/zydis/*' | sort)
out=$(perl "$kdoc" -none $files 2>&1)
n=$(printf '%s\n' "$files" | wc -l)
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	echo "FAIL kernel-doc: $(printf '%s\n' "$out" | wc -l) warnings in $src"
	exit 1
fi
echo "PASS kernel-doc: $n files in $src"
