#!/bin/sh
# A deliberately broken test: its module WARNs and the test does not
# declare it, so the harness must report it as failed.
. /tests/lib.sh
insmod $MODDIR/kc_warn.ko || fail "insmod kc_warn"
