#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# policyc tests: tests/policyc/run.sh path/to/policyc
#
# Prints "PASS unit/policyc/NAME" or "FAIL unit/policyc/NAME: why" per test
# and exits non-zero if any failed.  Diagnostics are compared exactly with
# golden files; UPDATE=1 rewrites the golden files instead (review the diff).
set -u

POLICYC=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0

pass() { echo "PASS unit/policyc/$1"; }
fail() { echo "FAIL unit/policyc/$1: $2"; failed=1; }

# Compare $2 with golden file $3 (or write it with UPDATE=1).
same() {
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$2" "$3"
	fi
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "output differs from $(basename "$3"): $(diff "$3" "$2" | head -5 | tr '\n' '|')"
	fi
}

# Examples: compile, dump against the golden YAML, recompile the dump to
# the very same bytes.
round_trip() {
	name=$1 src=$2
	if ! "$POLICYC" "$src" -o "$TMP/$name.kcp" 2>"$TMP/$name.err"; then
		fail "compile-$name" "$(head -3 "$TMP/$name.err" | tr '\n' '|')"
		return
	fi
	pass "compile-$name"
	"$POLICYC" --dump "$TMP/$name.kcp" >"$TMP/$name.yaml" 2>"$TMP/$name.err" ||
		fail "dump-$name" "exit $?"
	same "dump-$name" "$TMP/$name.yaml" "$HERE/golden/$name.yaml"
	if "$POLICYC" "$TMP/$name.yaml" -o "$TMP/$name.2.kcp" 2>>"$TMP/$name.err" &&
	   cmp -s "$TMP/$name.kcp" "$TMP/$name.2.kcp"; then
		pass "roundtrip-$name"
	else
		fail "roundtrip-$name" "recompiled dump differs from the original blob"
	fi
}

round_trip kc_hello "$ROOT/examples/policies/kc_hello.yaml"
round_trip full "$ROOT/examples/policies/full.yaml"
round_trip kc_forms "$ROOT/examples/policies/kc_forms.yaml"
round_trip merge "$HERE/good/merge.yaml"
round_trip release "$HERE/good/release.yaml"

# Broken policies: exit 1, no stdout, exactly the golden diagnostics.
# A "# args: ..." line in a file adds options (paths relative to bad/).
for f in "$HERE"/bad/*.yaml; do
	name=$(basename "$f" .yaml)
	args=$(sed -n 's/^# args: //p' "$f")
	# shellcheck disable=SC2086
	(cd "$HERE/bad" && "$POLICYC" --check $args "$name.yaml") \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc != 1 ]; then
		fail "bad-$name" "exit $rc, expected 1"
	elif [ -s "$TMP/out" ]; then
		fail "bad-$name" "wrote to standard output"
	else
		same "bad-$name" "$TMP/err" "$HERE/bad/$name.expected"
	fi
done

# A policy with errors leaves no output file behind.
"$POLICYC" "$HERE/bad/bad_mode.yaml" -o "$TMP/none.kcp" 2>/dev/null
if [ $? = 1 ] && [ ! -e "$TMP/none.kcp" ] && [ ! -e "$TMP/none.kcp.tmp" ]; then
	pass "no-output-on-error"
else
	fail "no-output-on-error" "an output file was written"
fi

# Warnings alone succeed; --Werror makes the same file fail.
(cd "$HERE/good" && "$POLICYC" --check warnings.yaml) >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc = 0 ]; then
	same "warnings" "$TMP/err" "$HERE/good/warnings.expected"
else
	fail "warnings" "exit $rc, expected 0"
fi
(cd "$HERE/good" && "$POLICYC" --check --Werror warnings.yaml) >/dev/null 2>&1
rc=$?
[ $rc = 1 ] && pass "werror" || fail "werror" "exit $rc, expected 1"

# Usage and I/O errors: exit 2.
expect_exit() {
	name=$1 want=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc = "$want" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, expected $want: $(head -2 "$TMP/err" | tr '\n' '|')"
	fi
}
K=$ROOT/examples/policies/kc_hello.yaml
expect_exit usage-no-args 2 "$POLICYC"
expect_exit usage-bad-option 2 "$POLICYC" --frobnicate "$K"
expect_exit usage-two-inputs 2 "$POLICYC" --check "$K" "$K"
expect_exit usage-no-output 2 "$POLICYC" "$K"
expect_exit usage-check-and-dump 2 "$POLICYC" --check --dump "$K"
expect_exit io-missing-input 2 "$POLICYC" --check "$TMP/does-not-exist.yaml"
expect_exit io-missing-blob 2 "$POLICYC" --dump "$TMP/does-not-exist.kcp"
expect_exit io-missing-symbols 2 "$POLICYC" --check --symbols "$TMP/nope" "$K"
expect_exit io-unwritable-output 2 "$POLICYC" "$K" -o "$TMP/no/such/dir/x.kcp"
printf 'this is not a symbol file\n' >"$TMP/syms"
expect_exit io-bad-symbols 2 "$POLICYC" --check --symbols "$TMP/syms" "$K"
expect_exit help 0 "$POLICYC" --help
grep -q -- "--symbols FILE" "$TMP/out" || fail help "--help does not describe --symbols"
expect_exit version 0 "$POLICYC" --version

# --dump refuses what kcp_decode refuses, with its message, exit 1.
"$POLICYC" "$K" -o "$TMP/good.kcp" 2>/dev/null
corrupt() {
	name=$1 msg=$2
	(cd "$TMP" && "$POLICYC" --dump bad.kcp) >"$TMP/out" 2>"$TMP/err"
	rc=$?
	printf 'bad.kcp: error: invalid policy blob: %s\n' "$msg" >"$TMP/want"
	if [ $rc != 1 ]; then
		fail "$name" "exit $rc, expected 1"
	elif ! cmp -s "$TMP/want" "$TMP/err"; then
		fail "$name" "got: $(tr '\n' '|' <"$TMP/err")"
	else
		pass "$name"
	fi
}
python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 0x40
open(sys.argv[2], "wb").write(b)' "$TMP/good.kcp" "$TMP/bad.kcp"
corrupt dump-corrupt-byte "checksum mismatch: corrupted policy"
head -c 40 "$TMP/good.kcp" >"$TMP/bad.kcp"
corrupt dump-truncated "blob of 40 bytes is shorter than a header"
patch() {
	python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(sys.argv[3])] = int(sys.argv[4], 0)
open(sys.argv[2], "wb").write(b)' "$TMP/good.kcp" "$TMP/bad.kcp" "$1" "$2"
}
patch 0 0x4a
corrupt dump-bad-magic "bad magic 0x5043434a: not a kcage policy"
patch 4 9
corrupt dump-bad-version "format version 9, this kcage reads 1"

# --learn (policyc/learn.c): learn mode's events into exactly the golden
# policy, which compiles; the first event's module by default, another
# with -m; no events is an error.
learn_from() {
	(cd "$HERE/learn" && "$POLICYC" --learn "$@" events.json) >"$TMP/learned.yaml" 2>"$TMP/err"
}
if learn_from -m kc_x -b kc_x.yaml; then
	same "learn" "$TMP/learned.yaml" "$HERE/learn/expected.yaml"
	grep -q "1 lines are not JSON events" "$TMP/err" && pass "learn-bad-line" ||
		fail "learn-bad-line" "no warning about the line that is not JSON"
else
	fail "learn" "exit $?: $(head -2 "$TMP/err" | tr '\n' '|')"
fi
expect_exit learn-compiles 0 "$POLICYC" --check "$HERE/learn/expected.yaml"
learn_from && grep -q '^module: kc_x$' "$TMP/learned.yaml" && pass "learn-first-module" ||
	fail "learn-first-module" "not kc_x's events"
learn_from -m kc_other && grep -q '^    - commit_creds ' "$TMP/learned.yaml" &&
	! grep -q kmalloc_trace "$TMP/learned.yaml" && pass "learn-other-module" ||
	fail "learn-other-module" "not kc_other's events alone"
expect_exit learn-no-events 1 "$POLICYC" --learn /dev/null
expect_exit learn-missing-input 2 "$POLICYC" --learn "$TMP/does-not-exist.json"
expect_exit usage-module-without-learn 2 "$POLICYC" --check -m kc_x "$K"
expect_exit usage-learn-and-dump 2 "$POLICYC" --learn --dump "$K"

# The annotated example in policy/README.md compiles (its include path is
# relative to examples/policies/, mirrored here with a symlink).
mkdir -p "$TMP/x/y" && ln -s "$ROOT/policy" "$TMP/policy"
sed -n '/^```yaml$/,/^```$/p' "$ROOT/policy/README.md" | sed '1d;$d' >"$TMP/x/y/readme.yaml"
expect_exit readme-example 0 "$POLICYC" --check --Werror "$TMP/x/y/readme.yaml"

# include: next to the file first, then -I directories in order, then
# ../share/kcage beside policyc (in the tree: build/user/share/kcage/base).
mkdir -p "$TMP/inc/a/base" "$TMP/inc/b/base" "$TMP/inc/pol/base"
printf 'calls:\n  allow: [from_a]\n' >"$TMP/inc/a/base/x.yaml"
printf 'calls:\n  allow: [from_b]\n' >"$TMP/inc/b/base/x.yaml"
printf 'module: inc\ninclude: [base/x.yaml]\n' >"$TMP/inc/pol/inc.yaml"
"$POLICYC" -I "$TMP/inc/b" -I "$TMP/inc/a" "$TMP/inc/pol/inc.yaml" -o "$TMP/inc.kcp" 2>"$TMP/err" &&
	"$POLICYC" --dump "$TMP/inc.kcp" | grep -q from_b && pass include-dir-order ||
	fail include-dir-order "$(head -2 "$TMP/err" | tr '\n' '|')"
printf 'calls:\n  allow: [from_pol]\n' >"$TMP/inc/pol/base/x.yaml"
"$POLICYC" -I "$TMP/inc/b" "$TMP/inc/pol/inc.yaml" -o "$TMP/inc.kcp" 2>"$TMP/err" &&
	"$POLICYC" --dump "$TMP/inc.kcp" | grep -q from_pol && pass include-dir-local-first ||
	fail include-dir-local-first "$(head -2 "$TMP/err" | tr '\n' '|')"
printf 'module: inc\ninclude: [base/printk.yaml]\n' >"$TMP/inc/installed.yaml"
expect_exit include-installed-base 0 "$POLICYC" --check "$TMP/inc/installed.yaml"
printf 'module: inc\ninclude: [base/no_such.yaml]\n' >"$TMP/inc/missing.yaml"
expect_exit include-missing 1 "$POLICYC" --check "$TMP/inc/missing.yaml"

# The base allowlists: every name a real export of Debian's 6.1 kernel.
symvers=$(ls /usr/src/linux-headers-6.1.0-*-amd64/Module.symvers 2>/dev/null | tail -n1)
for f in "$ROOT"/policy/base/*.yaml; do
	name=base-$(basename "$f" .yaml)
	if [ -z "$symvers" ]; then
		fail "$name" "no /usr/src/linux-headers-6.1.0-*-amd64/Module.symvers"
		continue
	fi
	printf 'module: base_test\ninclude: %s\n' "$f" >"$TMP/base.yaml"
	expect_exit "$name" 0 "$POLICYC" --check --Werror --symbols "$symvers" "$TMP/base.yaml"
done

exit $failed
