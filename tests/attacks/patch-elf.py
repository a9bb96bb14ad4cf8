#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make the loader-metadata attacks that a compiler cannot express.

    patch-elf.py <directory of the built attack modules>

atk_ld_init.ko: the relocation of mod->init (in .gnu.linkonce.this_module,
against init_module) is pointed at the module's import dump_stack.
atk_ld_reloc.ko: the relocation of atk_ld_reloc_ptr (in .data, against
kstrtos8) is moved 1 GiB past the section.  Both edits are idempotent.
"""
import os
import struct
import sys

R_SYM_SHIFT = 32


class Elf:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.b = bytearray(f.read())
        shoff, = struct.unpack_from("<Q", self.b, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", self.b, 0x3a)
        self.secs = []
        for i in range(shnum):
            name, typ, flags, addr, off, size, link, info, align, entsize = \
                struct.unpack_from("<IIQQQQIIQQ", self.b, shoff + i * shentsize)
            self.secs.append(dict(name=name, type=typ, off=off, size=size,
                                  link=link, info=info))
        strs = self.secs[shstrndx]
        for s in self.secs:
            s["n"] = self.cstr(strs["off"] + s["name"])
        self.symtab = next(s for s in self.secs if s["type"] == 2)
        self.strtab = self.secs[self.symtab["link"]]

    def cstr(self, off):
        return self.b[off:self.b.index(0, off)].decode()

    def sym(self, i):
        off = self.symtab["off"] + i * 24
        name, info, other, shndx, value, size = struct.unpack_from("<IBBHQQ", self.b, off)
        return self.cstr(self.strtab["off"] + name), shndx

    def sym_index(self, name, undef=True):
        for i in range(self.symtab["size"] // 24):
            n, shndx = self.sym(i)
            if n == name and (shndx == 0) == undef:
                return i
        sys.exit("%s: no symbol %s" % (self.path, name))

    def relas(self, target):
        for s in self.secs:
            if s["type"] == 4 and self.secs[s["info"]]["n"] == target:
                for j in range(s["size"] // 24):
                    off = s["off"] + j * 24
                    r_offset, r_info, addend = struct.unpack_from("<QQq", self.b, off)
                    yield off, r_offset, r_info

    def save(self):
        with open(self.path, "wb") as f:
            f.write(self.b)


def patch_init(path):
    e = Elf(path)
    to = e.sym_index("dump_stack")
    for off, r_offset, r_info in e.relas(".gnu.linkonce.this_module"):
        if e.sym(r_info >> R_SYM_SHIFT)[0] == "init_module":
            r_info = (to << R_SYM_SHIFT) | (r_info & 0xffffffff)
            struct.pack_into("<Q", e.b, off + 8, r_info)
    e.save()


def patch_reloc(path):
    e = Elf(path)
    for off, r_offset, r_info in e.relas(".data"):
        if e.sym(r_info >> R_SYM_SHIFT)[0] == "kstrtos8" and r_offset < 1 << 30:
            struct.pack_into("<Q", e.b, off, r_offset + (1 << 30))
    e.save()


def main():
    d = sys.argv[1]
    patch_init(os.path.join(d, "atk_ld_init.ko"))
    patch_reloc(os.path.join(d, "atk_ld_reloc.ko"))


if __name__ == "__main__":
    main()
