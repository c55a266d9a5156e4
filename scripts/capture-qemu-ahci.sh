#!/usr/bin/env bash
# Captures how QEMU 7.2's ICH9 AHCI controller and its disk answer OVMF-style commands, as test
# data for varsgen's AHCI model (emulator/src/test/resources/qemu-ahci/probe.txt). Run once by
# hand; needs qemu-system-x86_64, nasm and python3.
#
# Method: qemu-probes/ahci-probe.asm is a 64 KiB real-mode program that replaces OVMF_CODE as
# pflash unit 0 on Debian's command line (the disk: a 1 MiB image with a fixed byte pattern). It
# programs BAR5, resets the HBA, starts port 0 as OVMF does and runs a list of ATA commands,
# printing the port registers, the received-FIS area and the data of each on the debug console.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=$repo/emulator/src/test/resources/qemu-ahci
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nasm -f bin -i "$here/qemu-probes/" -o "$work/probe.bin" "$here/qemu-probes/ahci-probe.asm"
cmp "$work/probe.bin" "$here/qemu-probes/ahci-probe.bin" || {
    echo "capture: ahci-probe.bin is not the assembled ahci-probe.asm; reassemble and commit it" >&2
    exit 1
}
# The disk pattern the tests rebuild: byte i = (i / 512 + 31 * i) mod 256.
python3 -c '
import sys
sys.stdout.buffer.write(bytes(((i // 512) + 31 * i) & 0xFF for i in range(1 << 20)))' > "$work/disk.img"
truncate -s 540672 "$work/vars.fd"

qemu-system-x86_64 -machine q35,accel=tcg -no-user-config -nodefaults -m 256 \
    -smp 1,sockets=1,cores=1,threads=1 -display none -serial null \
    -drive file="$work/probe.bin",if=pflash,format=raw,unit=0,readonly=on \
    -drive file="$work/vars.fd",if=pflash,format=raw,unit=1,readonly=off \
    -drive file="$work/disk.img",format=raw \
    -debugcon file:"$work/probe.log" -global isa-debugcon.iobase=0x402 </dev/null &
pid=$!
for i in $(seq 1 300); do
    grep -q '^END$' "$work/probe.log" 2>/dev/null && break
    sleep 0.1
done
kill "$pid"; wait "$pid" 2>/dev/null || true
grep -q '^END$' "$work/probe.log" || { echo "capture: the probe did not finish" >&2; exit 1; }
mkdir -p "$out"
cp "$work/probe.log" "$out/probe.txt"
qemu-system-x86_64 --version | head -1 > "$out/qemu-version.txt"
echo "capture: wrote $out"
