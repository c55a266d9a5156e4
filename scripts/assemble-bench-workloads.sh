#!/bin/sh
# Reassembles the interpreter benchmark's workloads (emulator/src/test/resources/bench/*.asm) with nasm.
# The assembled .bin files are committed, so building and benchmarking need no nasm.
set -e
cd "$(dirname "$0")/../emulator/src/test/resources/bench"
for src in *.asm; do
  nasm -f bin -o "${src%.asm}.bin" "$src"
done
