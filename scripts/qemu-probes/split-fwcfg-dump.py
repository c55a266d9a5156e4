#!/usr/bin/python3
"""Turns fwcfg-dump's debug-console log into test data files.

Writes <out>/directory.tsv (select, size, name in directory order), <out>/legacy.tsv (key and
the first bytes of each legacy item in hex) and <out>/files/<name> for each file that varsgen
builds itself (QEMU's ACPI blobs and option ROMs are left out on purpose)."""
import os
import sys

SKIP_CONTENT = ("etc/acpi/", "etc/table-loader", "genroms/")

def main(log, out):
    os.makedirs(os.path.join(out, "files"), exist_ok=True)
    legacy, entries, data = [], [], {}
    current = None
    for line in open(log, encoding="ascii"):
        line = line.rstrip("\n")
        if line.startswith("K "):
            _, key, hexbytes = line.split(" ", 2)
            legacy.append((key, hexbytes))
        elif line.startswith("F "):
            _, select, size, name = line.split(" ", 3)
            entries.append((select, int(size, 16), name))
            current = name
            data[current] = bytearray()
        elif line.startswith("D "):
            data[current] += bytes.fromhex(line[2:])
    with open(os.path.join(out, "legacy.tsv"), "w") as f:
        for key, hexbytes in legacy:
            f.write(f"{key}\t{hexbytes}\n")
    with open(os.path.join(out, "directory.tsv"), "w") as f:
        for select, size, name in entries:
            f.write(f"{select}\t{size}\t{name}\n")
            if len(data[name]) != size:
                sys.exit(f"split-fwcfg-dump: {name}: {len(data[name])} bytes dumped, directory says {size}")
            if not name.startswith(SKIP_CONTENT):
                path = os.path.join(out, "files", name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as g:
                    g.write(data[name])

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
