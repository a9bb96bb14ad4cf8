# Helpers for VM test scripts (sourced from /tests/<name>.sh in the guest).
set -u

KCAGE_KO=/kcage/kcage.ko
MODDIR=/kcage/modules

fail() {
	echo "FAIL: $*"
	exit 1
}

# load_kcage [params...]: insmod kcage.ko, failing the test if it does not load.
load_kcage() {
	insmod "$KCAGE_KO" "$@" || fail "insmod kcage.ko failed"
}

# dmesg_has <extended regex>: did the kernel log a matching line?
dmesg_has() {
	dmesg | grep -Eq "$1"
}

expect_dmesg() {
	dmesg_has "$1" || fail "no dmesg line matches: $1"
}
