// SPDX-License-Identifier: GPL-2.0
/*
 * atk_insn_std_audit: atk_insn_std's attack under a policy in audit mode,
 * where what the policy refuses is reported and runs.  std is not a
 * policy's to allow: set, DF would turn every string check around, so it
 * never runs in any mode.  Had it run, the stores below the buffer make
 * the attack return -EINVAL.
 */
#include "atk_insn_std.c"
