#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Differential test of kcage's decoder against binutils' objdump.

For real modules from Debian's kernel package, the .text section is decoded
by linear sweep with kcage's decoder (kc_sweep) and by objdump.  The
instruction boundaries must be identical, and control transfers must be
classified as objdump names them (call/jmp/jcc/ret).  Prints one PASS/FAIL
line per module.
"""
import os
import re
import subprocess
import sys
import tempfile

MODULES = ["fs/ext4/ext4.ko", "drivers/block/brd.ko",
           "drivers/net/ethernet/intel/e1000/e1000.ko",
           "arch/x86/crypto/aesni-intel.ko", "lib/raid6/raid6_pq.ko",
           "arch/x86/crypto/chacha-x86_64.ko", "fs/fat/vfat.ko"]

INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s+(?:(?:[a-z]+ )*)?([a-z][a-z0-9.]*)?")

# objdump mnemonic -> the kind kcage must give it.
def expected_kind(mnem, operands):
    if mnem in ("ret", "retq"):
        return "ret"
    if mnem in ("call", "callq"):
        return "call-indirect" if "*" in operands else "call"
    if mnem in ("jmp", "jmpq"):
        return "jmp-indirect" if "*" in operands else "jmp"
    if re.match(r"j[a-z]+$", mnem) or mnem.startswith("loop"):
        return "jcc"
    if mnem == "int3":
        return "int3"
    if mnem == "ud2":
        return "ud2"
    return None


def objdump_insns(ko):
    out = subprocess.run(["objdump", "-d", "-j", ".text", "--no-show-raw-insn",
                          "-M", "suffix", ko], capture_output=True, text=True,
                         check=True).stdout
    insns = {}
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\t(.*)$", line)
        if not m:
            continue
        text = m.group(2).strip()
        words = text.split()
        # Prefixes objdump prints as words of their own.
        while words and words[0] in ("lock", "rep", "repz", "repnz", "repe",
                                     "repne", "cs", "ds", "notrack", "bnd",
                                     "data16", "addr32", "rex", "rex.W", "es",
                                     "ss", "fs", "gs"):
            words = words[1:]
        mnem = words[0] if words else ""
        insns[int(m.group(1), 16)] = (mnem, " ".join(words[1:]), text)
    return insns


def sweep(tool, ko, tmp):
    raw = os.path.join(tmp, "text.bin")
    subprocess.run(["objcopy", "-O", "binary", "--only-section=.text", ko, raw],
                   check=True)
    out = subprocess.run([tool, raw], capture_output=True, text=True,
                         check=True).stdout
    insns = {}
    for line in out.splitlines():
        f = line.split()
        insns[int(f[0], 16)] = f[1:]
    return insns


def compare(tool, ko, tmp):
    ours = sweep(tool, ko, tmp)
    theirs = objdump_insns(ko)
    bad = [o for o, v in ours.items() if v[0] == "bad"]
    if bad:
        return "undecodable at .text+0x%x (objdump: %s)" % (
            bad[0], theirs.get(bad[0], ("?", "", "?"))[2])
    if set(ours) != set(theirs):
        diff = sorted(set(ours) ^ set(theirs))[0]
        return "boundaries differ first at .text+0x%x (objdump: %s)" % (
            diff, theirs.get(diff, ("", "", "not an insn start"))[2])
    for off, (mnem, ops, text) in sorted(theirs.items()):
        want = expected_kind(mnem.rstrip("q") if mnem in ("callq", "jmpq", "retq") else mnem, ops)
        got = ours[off][1]
        if want and want != got:
            return ".text+0x%x: objdump says '%s', kcage says %s" % (off, text, got)
    return None


def main():
    tool, modroot = sys.argv[1], sys.argv[2]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rel in MODULES:
            ko = os.path.join(modroot, "kernel", rel)
            name = "unit/decode-vs-objdump/" + os.path.basename(ko)
            if not os.path.exists(ko):
                print("FAIL %s: %s missing" % (name, ko))
                failed += 1
                continue
            why = compare(tool, ko, tmp)
            if why:
                print("FAIL %s: %s" % (name, why))
                failed += 1
            else:
                print("PASS %s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
