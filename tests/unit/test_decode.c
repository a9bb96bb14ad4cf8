// SPDX-License-Identifier: GPL-2.0
/*
 * User-space unit tests of kmod/core/decode.c: the same table of known
 * instructions as the KUnit suite, plus properties that need no kernel.
 */
#include "decode_cases.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const u64 test_ip = 0xffffffffc0001000ull;

static void known_bytes(void)
{
	struct kc_decoder dec;
	struct kc_insn insn;
	size_t i;

	UNIT_EXPECT(kc_decoder_init(&dec) == 0, "decoder init");
	for (i = 0; i < ARRAY_SIZE(kc_decode_cases); i++) {
		const struct kc_decode_case *k = &kc_decode_cases[i];
		bool direct = k->kind == KC_INSN_CALL || k->kind == KC_INSN_JMP ||
			      k->kind == KC_INSN_JCC;

		if (kc_decode(&dec, k->bytes, k->len, test_ip, &insn)) {
			UNIT_EXPECT(0, "%s: does not decode", k->what);
			continue;
		}
		UNIT_EXPECT(insn.len == k->len, "%s: len %u", k->what, insn.len);
		UNIT_EXPECT(insn.kind == k->kind, "%s: kind %s", k->what,
			    kc_insn_kind_name(insn.kind));
		UNIT_EXPECT(insn.rip_rel == k->rip_rel, "%s: rip_rel", k->what);
		UNIT_EXPECT(!direct || insn.target == test_ip + k->rel_target,
			    "%s: target %llx", k->what,
			    (unsigned long long)insn.target);
	}
}

/* Every prefix of a valid instruction that is shorter than it is refused. */
static void truncation_refused(void)
{
	struct kc_decoder dec;
	struct kc_insn insn;
	size_t i, n;

	kc_decoder_init(&dec);
	for (i = 0; i < ARRAY_SIZE(kc_decode_cases); i++) {
		const struct kc_decode_case *k = &kc_decode_cases[i];

		for (n = 0; n < k->len; n++)
			UNIT_EXPECT(kc_decode(&dec, k->bytes, n, 0, &insn) == -EINVAL,
				    "%s: accepted with %zu of %u bytes", k->what,
				    n, k->len);
	}
}

/* Never reads past the buffer, never loops: decode every 1-2 byte input. */
static void all_short_inputs(void)
{
	struct kc_decoder dec;
	struct kc_insn insn;
	unsigned int v;
	u8 buf[2];

	kc_decoder_init(&dec);
	for (v = 0; v < 0x10000; v++) {
		buf[0] = v & 0xff;
		buf[1] = v >> 8;
		if (!kc_decode(&dec, buf, 2, 0, &insn))
			UNIT_EXPECT(insn.len >= 1 && insn.len <= 2,
				    "%02x %02x: len %u", buf[0], buf[1], insn.len);
	}
}

static void kind_names(void)
{
	int k;

	for (k = 0; k < KC_INSN_NR_KINDS; k++)
		UNIT_EXPECT(kc_insn_kind_name(k)[0] != '?', "kind %d has no name", k);
	UNIT_EXPECT(kc_insn_kind_name(KC_INSN_NR_KINDS)[0] == '?', "out of range");
}

int main(void)
{
	static const struct unit_case cases[] = {
		{ "known_bytes", known_bytes },
		{ "truncation_refused", truncation_refused },
		{ "all_short_inputs", all_short_inputs },
		{ "kind_names", kind_names },
		{ NULL, NULL },
	};

	return unit_run("decode", cases);
}
