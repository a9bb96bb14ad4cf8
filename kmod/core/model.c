// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction model: deny by default.
 *
 * An instruction Zydis decodes is admitted (copied into the code cache,
 * with the checks enforcement adds) only when every one of its effects is
 * one enforcement can check:
 *
 *  - memory is written only through an explicit memory operand (bounds.c
 *    checks [ea, ea + operand size)), the implicit stack slot of
 *    push/pushf/call (at %rsp - 8, %rsp being pivot-checked), or the
 *    %rdi of stos/movs (checked over the whole range, either direction);
 *  - no memory operand uses %fs (the kernel does not; its base is the
 *    user's), nor is it vector-indexed (gathers, scatters: no single range);
 *  - %rsp is written only by the implicit 8-byte adjustment of
 *    push/pop/pushf/popf/call/ret/leave, or as the 64-bit destination of
 *    mov, lea, add, sub, and, xchg, pop and cmovcc (pivot.c checks those),
 *    from memory only by mov, cmovcc and pop;
 *  - no segment, control, debug, descriptor-table or other system
 *    register is written, and no flag but the arithmetic ones changes.
 *
 * Three tables decide, in this order: the per-mnemonic rows (system
 * instructions, the stack and string forms, and what the operand rules
 * cannot see), the per-extension rows (every ISA extension Zydis knows,
 * admitted or not), then the operand rules, which look at every operand,
 * hidden ones included, with its actions.  Every row says why.  Reviewed
 * against the Intel SDM (vol. 2, instruction pages; vol. 3, 2.8
 * "System instruction summary").
 */
#include "model.h"

/**
 * struct kc_model_row - one explicit rule
 * @cls:   &enum kc_model_class (0 in the mnemonic table: no row)
 * @facts: KC_FACT_* bits the row grants or records
 * @priv:  for KC_MODEL_PRIV, the policy's name of the instruction
 * @why:   the reason, for the reviewer and for the report
 */
struct kc_model_row {
	u8 cls;
	u8 facts;
	const char *priv;
	const char *why;
};

#define ADMIT(m, f, w)	[ZYDIS_MNEMONIC_##m] = { KC_MODEL_ADMIT, f, NULL, w }
#define PRIV(m, p, w)	[ZYDIS_MNEMONIC_##m] = { KC_MODEL_PRIV, 0, p, w }
#define REFUSE(m, w)	[ZYDIS_MNEMONIC_##m] = { KC_MODEL_REFUSE, 0, NULL, w }

#define W_STACK	"implicit push/pop of 8 bytes at %rsp (pivot-checked %rsp)"
#define W_RSPD	"a 64-bit %rsp destination is pivot-checked"
#define W_STR	"string op: %rdi range checked in both DF directions"
#define W_STRR	"string op reading at %rsi/%rdi"
#define W_SAVE	"writes a state area whose size depends on XCR0 or mode"
#define W_RSTR	"loads privileged-relevant state from memory"
#define W_HID	"writes memory through an implicit address"
#define W_SYS	"system instruction"
#define W_SEG	"loads a segment register"
#define W_X87S	"x87 environment image (14-108 bytes by mode)"
#define W_CMOV	"cmovcc: " W_RSPD

/*
 * The mnemonic rows.  A mnemonic without a row is decided by its ISA
 * extension (below) and the operand rules.
 */
static const struct kc_model_row mnemonic_rows[ZYDIS_MNEMONIC_MAX_VALUE + 1] = {
	/* the stack */
	ADMIT(PUSH, KC_FACT_STACK_OP, W_STACK),
	ADMIT(POP, KC_FACT_STACK_OP | KC_FACT_RSP_DEST, W_STACK),
	ADMIT(PUSHFQ, KC_FACT_STACK_OP, W_STACK),
	ADMIT(CALL, KC_FACT_STACK_OP, W_STACK),
	ADMIT(RET, KC_FACT_STACK_OP, W_STACK),
	ADMIT(LEAVE, KC_FACT_STACK_OP, "mov %rbp,%rsp; pop %rbp: pivot-checked"),
	REFUSE(PUSHF, "16-bit pushf moves %rsp by 2"),
	REFUSE(PUSHFD, "not encodable in 64-bit mode"),
	REFUSE(POPFD, "not encodable in 64-bit mode"),
	REFUSE(POPF, "16-bit popf moves %rsp by 2"),
	REFUSE(ENTER, "writes a frame of nested pointers below %rsp"),
	/* the 64-bit %rsp destinations pivot.c checks */
	ADMIT(MOV, KC_FACT_RSP_DEST, W_RSPD),
	ADMIT(LEA, KC_FACT_RSP_DEST, W_RSPD),
	ADMIT(ADD, KC_FACT_RSP_DEST, W_RSPD),
	ADMIT(SUB, KC_FACT_RSP_DEST, W_RSPD),
	ADMIT(AND, KC_FACT_RSP_DEST, W_RSPD),
	ADMIT(XCHG, KC_FACT_RSP_DEST, W_RSPD),
	ADMIT(CMOVB, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVBE, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVL, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVLE, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNB, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNBE, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNL, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNLE, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNO, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNP, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNS, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVNZ, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVO, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVP, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVS, KC_FACT_RSP_DEST, W_CMOV),
	ADMIT(CMOVZ, KC_FACT_RSP_DEST, W_CMOV),
	/* strings: stos/movs write at %rdi; movsd/cmpsd are also SSE2 */
	ADMIT(STOSB, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(STOSW, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(STOSD, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(STOSQ, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(MOVSB, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(MOVSW, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(MOVSD, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(MOVSQ, KC_FACT_STRING | KC_FACT_STRING_WRITE, W_STR),
	ADMIT(LODSB, KC_FACT_STRING, W_STRR),
	ADMIT(LODSW, KC_FACT_STRING, W_STRR),
	ADMIT(LODSD, KC_FACT_STRING, W_STRR),
	ADMIT(LODSQ, KC_FACT_STRING, W_STRR),
	ADMIT(SCASB, KC_FACT_STRING, W_STRR),
	ADMIT(SCASW, KC_FACT_STRING, W_STRR),
	ADMIT(SCASD, KC_FACT_STRING, W_STRR),
	ADMIT(SCASQ, KC_FACT_STRING, W_STRR),
	ADMIT(CMPSB, KC_FACT_STRING, W_STRR),
	ADMIT(CMPSW, KC_FACT_STRING, W_STRR),
	ADMIT(CMPSD, KC_FACT_STRING, W_STRR),
	ADMIT(CMPSQ, KC_FACT_STRING, W_STRR),
	REFUSE(INSB, "ins writes at %rdi; only stos/movs are range-checked"),
	REFUSE(INSW, "ins writes at %rdi; only stos/movs are range-checked"),
	REFUSE(INSD, "ins writes at %rdi; only stos/movs are range-checked"),
	PRIV(OUTSB, "out", "port output"),
	PRIV(OUTSW, "out", "port output"),
	PRIV(OUTSD, "out", "port output"),
	/* flags */
	ADMIT(CLD, KC_FACT_CLD, "clears DF: translated code runs with DF=0"),
	PRIV(STD, "never", "sets DF: string checks and the kernel assume DF=0"),
	PRIV(POPFQ, "popf", "may change IF, AC, DF, TF, NT, IOPL: value checked"),
	PRIV(CLI, "cli", "clears IF"),
	PRIV(STI, "sti", "sets IF"),
	PRIV(STAC, "stac", "sets AC: opens user memory to supervisor access"),
	PRIV(CLAC, "clac", "clears AC: always allowed"),
	/* memory writes the operand rules cannot bound */
	REFUSE(MASKMOVQ, "byte-masked store at %rdi"),
	REFUSE(MASKMOVDQU, "byte-masked store at %rdi"),
	REFUSE(VMASKMOVDQU, "byte-masked store at %rdi"),
	REFUSE(MOVDIR64B, "64-byte store at a register address"),
	REFUSE(ENQCMD, "64-byte store to a device at a register address"),
	REFUSE(ENQCMDS, "64-byte store to a device at a register address"),
	REFUSE(XSAVE, W_SAVE), REFUSE(XSAVE64, W_SAVE),
	REFUSE(XSAVEC, W_SAVE), REFUSE(XSAVEC64, W_SAVE),
	REFUSE(XSAVEOPT, W_SAVE), REFUSE(XSAVEOPT64, W_SAVE),
	REFUSE(XSAVES, W_SAVE), REFUSE(XSAVES64, W_SAVE),
	REFUSE(FXSAVE, W_SAVE), REFUSE(FXSAVE64, W_SAVE),
	REFUSE(XRSTOR, W_RSTR), REFUSE(XRSTOR64, W_RSTR),
	REFUSE(XRSTORS, W_RSTR), REFUSE(XRSTORS64, W_RSTR),
	REFUSE(FXRSTOR, W_RSTR), REFUSE(FXRSTOR64, W_RSTR),
	REFUSE(FNSAVE, W_X87S), REFUSE(FNSTENV, W_X87S),
	REFUSE(FRSTOR, W_X87S), REFUSE(FLDENV, W_X87S),
	REFUSE(CLZERO, W_HID),
	/* segments */
	PRIV(SWAPGS, "never", "swaps the %gs base"),
	PRIV(WRFSBASE, "never", "writes the %fs base"),
	PRIV(WRGSBASE, "never", "writes the %gs base"),
	REFUSE(RDFSBASE, "reads the user's %fs base: only the kernel's switch code needs it"),
	REFUSE(RDGSBASE, "reads the %gs base: only the kernel's entry code needs it"),
	PRIV(LFS, "never", W_SEG),
	PRIV(LGS, "never", W_SEG),
	PRIV(LSS, "never", W_SEG),
	/* system instructions (SDM vol. 3, 2.8) */
	PRIV(HLT, "hlt", W_SYS),
	PRIV(IN, "in", "port input"),
	PRIV(OUT, "out", "port output"),
	PRIV(RDMSR, "rdmsr", "reads an MSR"),
	PRIV(WRMSR, "wrmsr", "writes an MSR"),
	PRIV(WBINVD, "wbinvd", "writes back and invalidates caches"),
	PRIV(INVD, "never", "invalidates caches without writing back"),
	PRIV(INVLPG, "invlpg", "invalidates a TLB entry"),
	PRIV(INVLPGA, "never", "invalidates a TLB entry of an ASID"),
	PRIV(INVLPGB, "never", "broadcast TLB invalidation"),
	PRIV(TLBSYNC, "never", "waits for broadcast TLB invalidation"),
	PRIV(INVPCID, "never", "invalidates TLB entries of a PCID"),
	PRIV(LGDT, "never", W_SYS), PRIV(LIDT, "never", W_SYS),
	PRIV(LLDT, "never", W_SYS), PRIV(LTR, "never", W_SYS),
	PRIV(SGDT, "never", "stores the GDT base (a kernel address)"),
	PRIV(SIDT, "never", "stores the IDT base (a kernel address)"),
	PRIV(SLDT, "never", W_SYS), PRIV(STR, "never", W_SYS),
	PRIV(SMSW, "never", W_SYS), PRIV(LMSW, "never", W_SYS),
	PRIV(CLTS, "never", W_SYS),
	PRIV(XSETBV, "never", "writes XCR0"),
	ADMIT(XGETBV, 0, "reads XCR0: crypto modules test for AVX with it"),
	PRIV(WRPKRU, "never", "writes PKRU"),
	PRIV(RDPKRU, "never", "reads PKRU"),
	PRIV(RDPMC, "never", "reads performance counters"),
	PRIV(MONITOR, "never", W_SYS), PRIV(MWAIT, "never", W_SYS),
	PRIV(MONITORX, "never", W_SYS), PRIV(MWAITX, "never", W_SYS),
	PRIV(PCONFIG, "never", W_SYS),
	PRIV(GETSEC, "never", W_SYS),
	PRIV(RSM, "never", W_SYS),
	PRIV(INT, "never", "software interrupt"),
	PRIV(INT1, "never", "software interrupt"),
	PRIV(INTO, "never", "software interrupt"),
	PRIV(IRET, "never", "interrupt return"),
	PRIV(IRETD, "never", "interrupt return"),
	PRIV(IRETQ, "never", "interrupt return"),
	PRIV(SYSCALL, "never", W_SYS), PRIV(SYSRET, "never", W_SYS),
	PRIV(SYSENTER, "never", W_SYS), PRIV(SYSEXIT, "never", W_SYS),
	PRIV(HRESET, "never", W_SYS),
	/* traps and no-ops the translator handles itself */
	ADMIT(INT3, KC_FACT_TRAP, "trap: handled by the translator (trap exit)"),
	ADMIT(UD2, KC_FACT_TRAP, "trap: BUG/WARN handled by the translator"),
	REFUSE(UD0, "undefined instruction"),
	REFUSE(UD1, "undefined instruction"),
	ADMIT(ENDBR64, 0, "no effect (indirect-branch landing pad)"),
	ADMIT(ENDBR32, 0, "no effect (indirect-branch landing pad)"),
	/* reads of processor state that change nothing */
	ADMIT(CPUID, 0, "reads CPU identification (traps to the hypervisor)"),
	ADMIT(RDTSC, 0, "reads the time-stamp counter"),
	ADMIT(RDTSCP, 0, "reads the time-stamp counter and TSC_AUX"),
	ADMIT(RDPID, 0, "reads TSC_AUX"),
	ADMIT(LAR, 0, "reads a descriptor's access rights"),
	ADMIT(LSL, 0, "reads a segment limit"),
	ADMIT(VERR, 0, "tests a selector (and flushes buffers: MDS)"),
	ADMIT(VERW, 0, "tests a selector (and flushes buffers: MDS)"),
	ADMIT(SERIALIZE, 0, "serializes: no state changes"),
	/* transactions: the abort handler is a jump target no check sees */
	REFUSE(XBEGIN, "transaction abort path is an unchecked branch"),
	REFUSE(XABORT, "transactional memory"),
	REFUSE(XEND, "transactional memory"),
	REFUSE(XTEST, "transactional memory"),
	REFUSE(PTWRITE, "writes the processor trace"),
	/* Knights Corner forms only special MVEX bits reach (refused as KNC) */
	REFUSE(VMOVNRNGOAPD, "Knights Corner: not x86-64"),
	REFUSE(VMOVNRNGOAPS, "Knights Corner: not x86-64"),
};

/**
 * struct kc_model_ext_row - the rule for one ISA extension
 * @cls:  admitted, privileged ("never" unless a mnemonic row says
 *        otherwise) or refused
 * @why:  the reason
 */
struct kc_model_ext_row {
	u8 cls;
	const char *why;
};

#define EXT(e, c, w)	[ZYDIS_ISA_EXT_##e] = { KC_MODEL_##c, w }

/*
 * Every ISA extension Zydis knows.  An admitted extension's instructions
 * still go through the mnemonic rows and the operand rules.
 */
static const struct kc_model_ext_row ext_rows[ZYDIS_ISA_EXT_MAX_VALUE + 1] = {
	EXT(INVALID, REFUSE, "no ISA extension"),
	EXT(BASE, ADMIT, "base integer ISA"),
	EXT(LONGMODE, ADMIT, "64-bit mode integer ISA"),
	EXT(X87, ADMIT, "x87 (state images refused by row)"),
	EXT(MMX, ADMIT, "MMX"),
	EXT(SSE, ADMIT, "SSE: crypto and raid6 inside kernel_fpu_begin"),
	EXT(SSE2, ADMIT, "SSE2"),
	EXT(SSE3, ADMIT, "SSE3"),
	EXT(SSSE3, ADMIT, "SSSE3"),
	EXT(SSE4, ADMIT, "SSE4.1/4.2 (crc32, popcnt)"),
	EXT(SSE4A, ADMIT, "SSE4a: explicit operands only"),
	EXT(AVX, ADMIT, "AVX"),
	EXT(AVX2, ADMIT, "AVX2"),
	EXT(AVX2GATHER, REFUSE, "vector-indexed loads cannot be bounded"),
	EXT(AVX512EVEX, ADMIT, "AVX-512 (scatters refused by the operand rules)"),
	EXT(AVX512VEX, ADMIT, "AVX-512 mask instructions"),
	EXT(AVXAES, ADMIT, "VEX AES-NI"),
	EXT(AVX_VNNI, ADMIT, "AVX-VNNI"),
	EXT(AES, ADMIT, "AES-NI"),
	EXT(PCLMULQDQ, ADMIT, "carry-less multiply"),
	EXT(VPCLMULQDQ, ADMIT, "vector carry-less multiply"),
	EXT(VAES, ADMIT, "vector AES"),
	EXT(GFNI, ADMIT, "Galois-field instructions"),
	EXT(SHA, ADMIT, "SHA extensions"),
	EXT(F16C, ADMIT, "half-float conversion"),
	EXT(FMA, ADMIT, "fused multiply-add"),
	EXT(BMI1, ADMIT, "bit manipulation"),
	EXT(BMI2, ADMIT, "bit manipulation"),
	EXT(ADOX_ADCX, ADMIT, "multi-precision add"),
	EXT(LZCNT, ADMIT, "lzcnt"),
	EXT(MOVBE, ADMIT, "movbe"),
	EXT(RDRAND, ADMIT, "rdrand"),
	EXT(RDSEED, ADMIT, "rdseed"),
	EXT(RDTSCP, ADMIT, "rdtscp"),
	EXT(RDPID, ADMIT, "rdpid"),
	EXT(PAUSE, ADMIT, "pause"),
	EXT(CLFSH, ADMIT, "clflush: evicts a line, writes nothing"),
	EXT(CLFLUSHOPT, ADMIT, "clflushopt: evicts a line, writes nothing"),
	EXT(CLWB, ADMIT, "clwb: writes a line back, changes nothing"),
	EXT(CLDEMOTE, ADMIT, "cldemote: a hint"),
	EXT(AMD3DNOW_PREFETCH, ADMIT, "prefetch/prefetchw"),
	EXT(PREFETCHWT1, ADMIT, "prefetchwt1"),
	EXT(MOVDIR, ADMIT, "movdiri: explicit operand (movdir64b refused by row)"),
	EXT(SERIALIZE, ADMIT, "serialize"),
	EXT(XSAVE, REFUSE, "state save/restore (xgetbv admitted by row)"),
	EXT(XSAVEC, REFUSE, "state save"),
	EXT(XSAVEOPT, REFUSE, "state save"),
	EXT(XSAVES, REFUSE, "supervisor state save/restore"),
	EXT(AMD3DNOW, REFUSE, "3DNow!: not used by the kernel"),
	EXT(FMA4, REFUSE, "AMD FMA4: not used by the kernel"),
	EXT(XOP, REFUSE, "AMD XOP: not used by the kernel"),
	EXT(TBM, REFUSE, "AMD TBM: not used by the kernel"),
	EXT(MPX, REFUSE, "MPX: bound registers, removed from the kernel"),
	EXT(CET, REFUSE, "CET shadow stack (endbr admitted by row)"),
	EXT(RTM, REFUSE, "transactional memory"),
	EXT(TSX_LDTRK, REFUSE, "transactional memory"),
	EXT(SMAP, PRIV, "AC flag (rows)"),
	EXT(MONITOR, PRIV, "monitor/mwait"),
	EXT(MONITORX, PRIV, "monitorx/mwaitx"),
	EXT(PKU, PRIV, "protection keys"),
	EXT(RDWRFSGS, PRIV, "segment bases"),
	EXT(INVPCID, PRIV, "TLB invalidation"),
	EXT(AMD_INVLPGB, PRIV, "TLB invalidation"),
	EXT(PCONFIG, PRIV, "platform configuration"),
	EXT(SMX, PRIV, "safer mode"),
	EXT(SGX, PRIV, "enclaves"),
	EXT(SGX_ENCLV, PRIV, "enclaves"),
	EXT(SVM, PRIV, "virtualization"),
	EXT(VTX, PRIV, "virtualization"),
	EXT(VMFUNC, PRIV, "virtualization"),
	EXT(SNP, PRIV, "virtualization"),
	EXT(TDX, PRIV, "virtualization"),
	EXT(HRESET, PRIV, "history reset"),
	EXT(CLZERO, REFUSE, "zeroes a cache line at an implicit address"),
	EXT(ENQCMD, REFUSE, "enqueue stores"),
	EXT(KEYLOCKER, REFUSE, "key locker: handles in memory, not modelled"),
	EXT(KEYLOCKER_WIDE, REFUSE, "key locker: not modelled"),
	EXT(AMX_BF16, REFUSE, "AMX tile state: not modelled"),
	EXT(AMX_INT8, REFUSE, "AMX tile state: not modelled"),
	EXT(AMX_TILE, REFUSE, "AMX tile state: not modelled"),
	EXT(UINTR, REFUSE, "user interrupts"),
	EXT(WAITPKG, REFUSE, "user-mode wait: not used by the kernel"),
	EXT(MCOMMIT, REFUSE, "AMD mcommit: not modelled"),
	EXT(RDPRU, REFUSE, "AMD rdpru: not modelled"),
	EXT(PT, REFUSE, "processor trace writes"),
	EXT(PADLOCK, REFUSE, "VIA PadLock: implicit memory writes"),
	EXT(KNC, REFUSE, "Knights Corner: not x86-64"),
	EXT(KNCE, REFUSE, "Knights Corner: not x86-64"),
	EXT(KNCV, REFUSE, "Knights Corner: not x86-64"),
};

static const char *const class_names[] = {
	[KC_MODEL_UNCLASSIFIED] = "unclassified",
	[KC_MODEL_ADMIT] = "admitted",
	[KC_MODEL_PRIV] = "privileged",
	[KC_MODEL_REFUSE] = "refused",
};

/**
 * kc_model_class_name - a verdict's name, for logs and reports
 * @cls: &enum kc_model_class
 */
const char *kc_model_class_name(enum kc_model_class cls)
{
	return (unsigned int)cls < sizeof(class_names) / sizeof(class_names[0]) ?
	       class_names[cls] : "?";
}

/**
 * kc_model_mnemonic_has_row - has @mn a row of its own? (for the tests)
 * @mn: a Zydis mnemonic
 */
bool kc_model_mnemonic_has_row(ZydisMnemonic mn)
{
	return (unsigned int)mn <= ZYDIS_MNEMONIC_MAX_VALUE &&
	       mnemonic_rows[mn].cls != KC_MODEL_UNCLASSIFIED;
}

/**
 * kc_model_ext_classified - has the ISA extension @ext a row? (for the tests)
 * @ext: a Zydis ISA extension
 */
bool kc_model_ext_classified(ZydisISAExt ext)
{
	return (unsigned int)ext <= ZYDIS_ISA_EXT_MAX_VALUE &&
	       ext_rows[ext].cls != KC_MODEL_UNCLASSIFIED;
}

static void set(struct kc_model_verdict *v, u8 cls, const char *priv,
		const char *why)
{
	v->cls = cls;
	v->priv = priv;
	v->why = why;
}

static bool is_branch(const ZydisDecodedInstruction *zi)
{
	switch (zi->meta.category) {
	case ZYDIS_CATEGORY_UNCOND_BR:
	case ZYDIS_CATEGORY_COND_BR:
	case ZYDIS_CATEGORY_CALL:
	case ZYDIS_CATEGORY_RET:
		return true;
	default:
		return false;
	}
}

/*
 * Branches: the translator rewrites near branches; a far one also loads
 * %cs, a 16-bit one truncates %rip on some CPUs, and ret $imm16 moves
 * %rsp by an amount no pivot check sees.
 */
static bool branch_rule(const ZydisDecodedInstruction *zi,
			struct kc_model_verdict *v)
{
	if (!is_branch(zi))
		return true;
	if (zi->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR) {
		set(v, KC_MODEL_REFUSE, NULL, "far branch loads %cs");
		return false;
	}
	if (zi->attributes & ZYDIS_ATTRIB_HAS_OPERANDSIZE) {
		set(v, KC_MODEL_REFUSE, NULL, "16-bit near branch");
		return false;
	}
	if (zi->meta.category == ZYDIS_CATEGORY_RET && zi->operand_count_visible) {
		set(v, KC_MODEL_REFUSE, NULL, "ret $imm16 moves %rsp past the return");
		return false;
	}
	return true;
}

/* A memory operand: where it may be, and which writes are checked. */
static bool mem_rule(const ZydisDecodedInstruction *zi,
		     const ZydisDecodedOperand *op, const struct kc_model_row *row,
		     struct kc_model_verdict *v)
{
	bool write = op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE;

	if (op->mem.type == ZYDIS_MEMOP_TYPE_AGEN)
		return true;	/* lea: computes an address, touches nothing */
	if (op->mem.type != ZYDIS_MEMOP_TYPE_MEM) {
		set(v, KC_MODEL_REFUSE, NULL,
		    "vector-indexed or bound-table memory cannot be bounded");
		return false;
	}
	if (zi->address_width != 64) {
		set(v, KC_MODEL_REFUSE, NULL,
		    "32-bit addressing (addr32): the address wraps at 4 GiB");
		return false;
	}
	if (op->mem.segment == ZYDIS_REGISTER_FS) {
		set(v, KC_MODEL_REFUSE, NULL, "%fs memory operand (the user's base)");
		return false;
	}
	if (op->mem.segment == ZYDIS_REGISTER_GS)
		v->facts |= KC_FACT_GS;
	if (!write)
		return true;
	if (op->visibility == ZYDIS_OPERAND_VISIBILITY_EXPLICIT) {
		/* pop computes a %rsp-based address after it adjusted %rsp */
		if (zi->mnemonic == ZYDIS_MNEMONIC_POP &&
		    (op->mem.base == ZYDIS_REGISTER_RSP ||
		     op->mem.index == ZYDIS_REGISTER_RSP)) {
			set(v, KC_MODEL_REFUSE, NULL,
			    "pop to %rsp-based memory addresses after the pop");
			return false;
		}
		return true;	/* bounds.c checks [ea, ea + size) */
	}
	if ((row->facts & KC_FACT_STACK_OP) && op->mem.base == ZYDIS_REGISTER_RSP &&
	    op->size == 64)
		return true;	/* push/pushf/call: %rsp - 8 */
	if ((row->facts & KC_FACT_STRING_WRITE) &&
	    zi->meta.category == ZYDIS_CATEGORY_STRINGOP &&
	    op->mem.base == ZYDIS_REGISTER_RDI)
		return true;	/* stos/movs: checked over the whole range */
	set(v, KC_MODEL_REFUSE, NULL, W_HID);
	return false;
}

/* A written %rsp, %esp, %sp or %spl: only the forms pivot.c checks. */
static bool rsp_rule(const ZydisDecodedInstruction *zi,
		     const ZydisDecodedOperand *op, const struct kc_model_row *row,
		     struct kc_model_verdict *v)
{
	if (op->visibility != ZYDIS_OPERAND_VISIBILITY_EXPLICIT) {
		if ((row->facts & KC_FACT_STACK_OP) && zi->operand_width == 64)
			return true;
	} else if ((row->facts & KC_FACT_RSP_DEST) &&
		   op->reg.value == ZYDIS_REGISTER_RSP) {
		v->facts |= KC_FACT_RSP_DEST;
		return true;
	}
	set(v, KC_MODEL_REFUSE, NULL, "writes %rsp outside the pivot-checked forms");
	return false;
}

/*
 * A new %rsp that xchg, add, sub or and read from memory: refused.  The
 * pivot check reads it and would have to let the instruction read it
 * again (which the module can change in between, from another CPU); mov,
 * cmovcc and pop %rsp it performs itself with the value it read, and no
 * compiler emits the other forms.
 */
static bool rsp_source_rule(const ZydisDecodedInstruction *zi,
			    const ZydisDecodedOperand *ops,
			    struct kc_model_verdict *v)
{
	unsigned int i;

	switch (zi->mnemonic) {
	case ZYDIS_MNEMONIC_XCHG: case ZYDIS_MNEMONIC_ADD:
	case ZYDIS_MNEMONIC_SUB: case ZYDIS_MNEMONIC_AND:
		break;
	default:
		return true;
	}
	for (i = 0; i < zi->operand_count_visible; i++) {
		if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY) {
			set(v, KC_MODEL_REFUSE, NULL,
			    "a new %rsp read from memory other than by mov, cmovcc or pop");
			return false;
		}
	}
	return true;
}

/* A register operand: general, vector and mask registers are the module's. */
static bool reg_rule(const ZydisDecodedInstruction *zi,
		     const ZydisDecodedOperand *op, const struct kc_model_row *row,
		     struct kc_model_verdict *v)
{
	bool write = op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE;
	ZydisRegister r = op->reg.value;

	switch (ZydisRegisterGetClass(r)) {
	case ZYDIS_REGCLASS_GPR8:
	case ZYDIS_REGCLASS_GPR16:
	case ZYDIS_REGCLASS_GPR32:
	case ZYDIS_REGCLASS_GPR64:
		if (write && ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, r) ==
			     ZYDIS_REGISTER_RSP)
			return rsp_rule(zi, op, row, v);
		return true;
	case ZYDIS_REGCLASS_X87:
	case ZYDIS_REGCLASS_MMX:
	case ZYDIS_REGCLASS_XMM:
	case ZYDIS_REGCLASS_YMM:
	case ZYDIS_REGCLASS_ZMM:
	case ZYDIS_REGCLASS_MASK:
		return true;
	case ZYDIS_REGCLASS_FLAGS:
		return true;	/* which flags: flags_rule() */
	case ZYDIS_REGCLASS_IP:
		if (!write || is_branch(zi))
			return true;
		set(v, KC_MODEL_REFUSE, NULL, "changes %rip outside a branch");
		return false;
	case ZYDIS_REGCLASS_SEGMENT:
		if (!write)
			return true;
		set(v, KC_MODEL_PRIV, "never", "writes a segment register");
		return false;
	case ZYDIS_REGCLASS_CONTROL:
	case ZYDIS_REGCLASS_DEBUG:
		set(v, KC_MODEL_PRIV, "never", "control or debug register");
		return false;
	case ZYDIS_REGCLASS_TABLE:
		set(v, KC_MODEL_PRIV, "never", "descriptor-table register");
		return false;
	default:
		/* MXCSR and the x87 control words are FPU state (kernel_fpu_begin) */
		if (!write || r == ZYDIS_REGISTER_MXCSR || r == ZYDIS_REGISTER_X87CONTROL ||
		    r == ZYDIS_REGISTER_X87STATUS || r == ZYDIS_REGISTER_X87TAG)
			return true;
		set(v, KC_MODEL_REFUSE, NULL, "writes a register the model does not know");
		return false;
	}
}

/* Only the arithmetic flags may change (and DF, cleared by cld). */
static bool flags_rule(const ZydisDecodedInstruction *zi,
		       const struct kc_model_row *row, struct kc_model_verdict *v)
{
	const ZydisAccessedFlags *f = zi->cpu_flags;
	u32 changed, ok = ZYDIS_CPUFLAG_CF | ZYDIS_CPUFLAG_PF | ZYDIS_CPUFLAG_AF |
			  ZYDIS_CPUFLAG_ZF | ZYDIS_CPUFLAG_SF | ZYDIS_CPUFLAG_OF |
			  ZYDIS_CPUFLAG_RF;

	if (!f)
		return true;
	changed = f->modified | f->set_0 | f->set_1 | f->undefined;
	if (row->facts & KC_FACT_CLD)
		ok |= ZYDIS_CPUFLAG_DF;
	if (!(changed & ~ok))
		return true;
	set(v, KC_MODEL_REFUSE, NULL, "changes a system flag (IF, DF, AC, TF, NT, IOPL)");
	return false;
}

/* bt{,s,r,c} with a register offset address beyond their operand. */
static void bt_fact(const ZydisDecodedInstruction *zi,
		    const ZydisDecodedOperand *ops, struct kc_model_verdict *v)
{
	switch (zi->mnemonic) {
	case ZYDIS_MNEMONIC_BT:
	case ZYDIS_MNEMONIC_BTS:
	case ZYDIS_MNEMONIC_BTR:
	case ZYDIS_MNEMONIC_BTC:
		if (ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER)
			v->facts |= KC_FACT_BT_REGOFF;
		break;
	default:
		break;
	}
}

/**
 * kc_model_classify - the model's verdict on a decoded instruction
 * @zi:  the instruction, as Zydis decoded it
 * @ops: all its operands (visible and hidden)
 * @v:   the verdict
 *
 * Order: the mnemonic's row if it refuses or is privileged; the ISA
 * extension's row unless the mnemonic's row admits; then the branch,
 * operand and flag rules, any of which may still refuse or find the
 * instruction privileged.
 */
void kc_model_classify(const ZydisDecodedInstruction *zi,
		       const ZydisDecodedOperand *ops,
		       struct kc_model_verdict *v)
{
	static const struct kc_model_row none = { 0 };
	const struct kc_model_row *row = &none;
	const struct kc_model_ext_row *ext;
	unsigned int i;

	v->facts = 0;
	if ((unsigned int)zi->mnemonic <= ZYDIS_MNEMONIC_MAX_VALUE)
		row = &mnemonic_rows[zi->mnemonic];
	if ((unsigned int)zi->meta.isa_ext > ZYDIS_ISA_EXT_MAX_VALUE ||
	    ext_rows[zi->meta.isa_ext].cls == KC_MODEL_UNCLASSIFIED) {
		set(v, KC_MODEL_UNCLASSIFIED, NULL, "ISA extension not in the model");
		return;
	}
	ext = &ext_rows[zi->meta.isa_ext];
	if (row->cls == KC_MODEL_REFUSE || row->cls == KC_MODEL_PRIV) {
		set(v, row->cls, row->priv, row->why);
		return;
	}
	if (row->cls != KC_MODEL_ADMIT && ext->cls != KC_MODEL_ADMIT) {
		set(v, ext->cls, ext->cls == KC_MODEL_PRIV ? "never" : NULL, ext->why);
		return;
	}
	set(v, KC_MODEL_ADMIT, NULL, row->cls == KC_MODEL_ADMIT ? row->why : ext->why);
	if (row->facts & KC_FACT_TRAP)
		return;		/* never copied: its effects never happen */
	v->facts = row->facts & (KC_FACT_STRING | KC_FACT_STRING_WRITE | KC_FACT_STACK_OP |
				 KC_FACT_CLD);
	if (zi->meta.category != ZYDIS_CATEGORY_STRINGOP)
		v->facts &= ~(KC_FACT_STRING | KC_FACT_STRING_WRITE);
	if (!branch_rule(zi, v))
		return;
	for (i = 0; i < zi->operand_count; i++) {
		const ZydisDecodedOperand *op = &ops[i];
		bool ok = true;

		if (op->type == ZYDIS_OPERAND_TYPE_MEMORY)
			ok = mem_rule(zi, op, row, v);
		else if (op->type == ZYDIS_OPERAND_TYPE_REGISTER)
			ok = reg_rule(zi, op, row, v);
		else if (op->type == ZYDIS_OPERAND_TYPE_POINTER)
			set(v, KC_MODEL_REFUSE, NULL, "far pointer operand"), ok = false;
		if (!ok) {
			v->facts = 0;
			return;
		}
	}
	if (!flags_rule(zi, row, v) ||
	    ((v->facts & KC_FACT_RSP_DEST) && !rsp_source_rule(zi, ops, v))) {
		v->facts = 0;
		return;
	}
	bt_fact(zi, ops, v);
}
