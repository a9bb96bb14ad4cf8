/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known instructions and what kc_decode() must say about them.  Shared by
 * the KUnit suite (kmod/kunit/decode_test.c) and the user-space unit test
 * (tests/unit/test_decode.c), so the decoder is checked against the same
 * table in both hosts.
 */
#ifndef KCAGE_CORE_DECODE_CASES_H
#define KCAGE_CORE_DECODE_CASES_H

#include "decode.h"

struct kc_decode_case {
	const char *what;
	u8 bytes[15];
	u8 len;
	enum kc_insn_kind kind;
	bool rip_rel;
	s64 rel_target;		/* target - ip, for direct branches */
};

static const struct kc_decode_case kc_decode_cases[] = {
	{ "ftrace nop5", { 0x0f, 0x1f, 0x44, 0x00, 0x00 }, 5, KC_INSN_PLAIN },
	{ "call rel32", { 0xe8, 0x10, 0x00, 0x00, 0x00 }, 5, KC_INSN_CALL, false, 0x15 },
	{ "jmp rel8 back", { 0xeb, 0xfe }, 2, KC_INSN_JMP, false, 0 },
	{ "je rel8", { 0x74, 0x05 }, 2, KC_INSN_JCC, false, 7 },
	{ "jne rel32", { 0x0f, 0x85, 0x00, 0x01, 0x00, 0x00 }, 6, KC_INSN_JCC, false, 0x106 },
	{ "call *%rax", { 0xff, 0xd0 }, 2, KC_INSN_CALL_IND },
	{ "jmp *0x8(%rax,%rcx,8)", { 0xff, 0x64, 0xc8, 0x08 }, 4, KC_INSN_JMP_IND },
	{ "ret", { 0xc3 }, 1, KC_INSN_RET },
	{ "int3", { 0xcc }, 1, KC_INSN_INT3 },
	{ "ud2", { 0x0f, 0x0b }, 2, KC_INSN_UD2 },
	{ "cli", { 0xfa }, 1, KC_INSN_PRIV },
	{ "wrmsr", { 0x0f, 0x30 }, 2, KC_INSN_PRIV },
	{ "mov %rax,%cr4", { 0x0f, 0x22, 0xe0 }, 3, KC_INSN_PRIV },
	{ "lidt (%rax)", { 0x0f, 0x01, 0x18 }, 3, KC_INSN_PRIV },
	{ "out %al,(%dx)", { 0xee }, 1, KC_INSN_PRIV },
	{ "mov 0x10(%rip),%rax", { 0x48, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00 }, 7, KC_INSN_PLAIN, true },
	{ "movdqa 0x0(%rip),%xmm0", { 0x66, 0x0f, 0x6f, 0x05, 0, 0, 0, 0 }, 8, KC_INSN_PLAIN, true },
	{ "lock cmpxchg %rdx,(%rdi)", { 0xf0, 0x48, 0x0f, 0xb1, 0x17 }, 5, KC_INSN_PLAIN },
	{ "rep movsb", { 0xf3, 0xa4 }, 2, KC_INSN_PLAIN },
	{ "pushf", { 0x9c }, 1, KC_INSN_PLAIN },
	{ "rdtsc", { 0x0f, 0x31 }, 2, KC_INSN_PLAIN },
	/* the instruction model (model.c) */
	{ "maskmovdqu %xmm1,%xmm0", { 0x66, 0x0f, 0xf7, 0xc1 }, 4, KC_INSN_REFUSED },
	{ "xsave (%rdi)", { 0x0f, 0xae, 0x27 }, 3, KC_INSN_REFUSED },
	{ "fxsave (%rdi)", { 0x0f, 0xae, 0x07 }, 3, KC_INSN_REFUSED },
	{ "mov %rax,%fs:(%rdi)", { 0x64, 0x48, 0x89, 0x07 }, 4, KC_INSN_REFUSED },
	{ "mov %rax,%gs:(%rdi)", { 0x65, 0x48, 0x89, 0x07 }, 4, KC_INSN_PLAIN },
	{ "mov %eax,%esp", { 0x89, 0xc4 }, 2, KC_INSN_REFUSED },
	{ "mov %rax,%rsp", { 0x48, 0x89, 0xc4 }, 3, KC_INSN_PLAIN },
	{ "pop %rsp", { 0x5c }, 1, KC_INSN_PLAIN },
	{ "bts %rax,(%rdi)", { 0x48, 0x0f, 0xab, 0x07 }, 4, KC_INSN_PLAIN },
	{ "popf", { 0x9d }, 1, KC_INSN_PRIV },
	{ "std", { 0xfd }, 1, KC_INSN_PRIV },
	{ "cld", { 0xfc }, 1, KC_INSN_PLAIN },
	{ "wrgsbase %rax", { 0xf3, 0x48, 0x0f, 0xae, 0xd8 }, 5, KC_INSN_PRIV },
	{ "mov %eax,%gs", { 0x8e, 0xe8 }, 2, KC_INSN_PRIV },
	{ "enter $8,$0", { 0xc8, 0x08, 0x00, 0x00 }, 4, KC_INSN_REFUSED },
	{ "ret $8", { 0xc2, 0x08, 0x00 }, 3, KC_INSN_REFUSED },
	{ "ljmp *(%rax)", { 0xff, 0x28 }, 2, KC_INSN_REFUSED },
	{ "insb", { 0x6c }, 1, KC_INSN_REFUSED },
	{ "stac", { 0x0f, 0x01, 0xcb }, 3, KC_INSN_PRIV },
};

#endif /* KCAGE_CORE_DECODE_CASES_H */
