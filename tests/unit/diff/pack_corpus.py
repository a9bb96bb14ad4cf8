#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Pack a libFuzzer corpus directory into one file that test_fuzz replays
(make check): each input as a 4-byte little-endian length and its bytes,
in file-name order, so the kept corpus is one file in git, not thousands.

    pack_corpus.py CORPUS_DIR OUT.pack
"""
import os
import struct
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    src, out = sys.argv[1], sys.argv[2]
    names = sorted(n for n in os.listdir(src)
                   if os.path.isfile(os.path.join(src, n)))
    with open(out + ".tmp", "wb") as f:
        for n in names:
            with open(os.path.join(src, n), "rb") as g:
                data = g.read()
            f.write(struct.pack("<I", len(data)) + data)
    os.replace(out + ".tmp", out)
    print("pack_corpus: %d inputs -> %s" % (len(names), out))


if __name__ == "__main__":
    main()
