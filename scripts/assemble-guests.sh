#!/bin/sh
# Reassembles the test guests (emulator/src/test/resources/guests/*.asm -> *.bin) with nasm.
# The binaries are committed next to their sources; run this after changing a source.
set -eu
dir="$(cd "$(dirname "$0")/.." && pwd)/emulator/src/test/resources/guests"
command -v nasm >/dev/null || { echo "assemble-guests: nasm is not installed" >&2; exit 1; }
cd "$dir"
for src in *.asm; do
    nasm -f bin -Werror -o "${src%.asm}.bin" "$src"
    echo "assembled $dir/${src%.asm}.bin"
done
