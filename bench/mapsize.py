#!/usr/bin/env python3
"""Sums what one archive contributes to a linked image, from a GNU ld map.

Usage: mapsize.py MAPFILE ARCHIVE_NAME [MEMBER_TEXT]
Prints "text data bss" in bytes: code and read-only data (.text*, .rodata*),
initialised data (.data*) and zero-initialised data (.bss*, COMMON) taken from
members of ARCHIVE_NAME only (and, with MEMBER_TEXT, only members whose name
contains it), after --gc-sections.
"""
import re
import sys


def main():
    mapfile, archive = sys.argv[1], sys.argv[2]
    member = sys.argv[3] if len(sys.argv) > 3 else ""
    sizes = {"text": 0, "data": 0, "bss": 0}
    in_memory_map = False
    pending = None  # section name when the address/size follow on the next line
    line_re = re.compile(r"^\s+(\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")
    with open(mapfile, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_memory_map = True
                continue
            if not in_memory_map:
                continue
            m = line_re.match(line)
            if m:
                section = m.group(1) or pending
                size, origin = int(m.group(3), 16), m.group(4)
                pending = None
            else:
                stripped = line.strip()
                pending = stripped if stripped.startswith(".") and " " not in stripped else None
                continue
            if not section or archive not in origin or size == 0:
                continue
            if member and member not in origin.partition(archive)[2]:
                continue
            if section.startswith((".text", ".rodata")):
                sizes["text"] += size
            elif section.startswith(".data"):
                sizes["data"] += size
            elif section.startswith((".bss", "COMMON")):
                sizes["bss"] += size
    print(sizes["text"], sizes["data"], sizes["bss"])


if __name__ == "__main__":
    main()
