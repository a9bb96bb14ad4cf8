/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAGE_INSPECT_H
#define KCAGE_INSPECT_H

#include <linux/module.h>
#include "core/decode.h"

/**
 * struct kcage_text_stats - what a linear decode of a module's functions found
 * @nr_funcs:  function symbols ('t'/'T') with a non-zero size
 * @nr_bytes:  bytes covered by those functions
 * @nr_insns:  instructions decoded
 * @nr_bad:    places where decoding failed (reported in dmesg)
 * @kinds:     instructions per &enum kc_insn_kind
 */
struct kcage_text_stats {
	unsigned int nr_funcs;
	unsigned long nr_bytes;
	unsigned int nr_insns;
	unsigned int nr_bad;
	unsigned int kinds[KC_INSN_NR_KINDS];
};

int kcage_inspect_module(struct module *mod, struct kcage_text_stats *st);

#endif /* KCAGE_INSPECT_H */
