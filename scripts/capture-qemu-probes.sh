#!/usr/bin/env bash
# Captures how QEMU 7.2's ICH9 AHCI controller (with its disk), CFI flash devices and fw_cfg DMA
# interface answer the accesses OVMF makes, as test data for varsgen's models:
#   emulator/src/test/resources/qemu-ahci/probe.txt    (qemu-probes/ahci-probe.asm)
#   emulator/src/test/resources/qemu-pflash/probe.txt  (qemu-probes/pflash-probe.asm)
#   emulator/src/test/resources/qemu-fwcfg/dma-probe.txt (qemu-probes/fwcfg-dma-probe.asm)
# Run once by hand; needs qemu-system-x86_64, nasm and python3.
#
# Method: each probe is a 64 KiB real-mode program that replaces OVMF_CODE as pflash unit 0 on
# Debian's command line and prints what it reads on the debug console (port 0x402). The disk is
# a 1 MiB image with byte i = (i / 512 + 31 * i) mod 256 (and a second run with an MBR in it),
# the vars flash a 0x84000-byte image
# with byte i = (7 * i + 3) mod 256; the tests rebuild both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
resources=$repo/emulator/src/test/resources
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -c '
import sys
sys.stdout.buffer.write(bytes(((i // 512) + 31 * i) & 0xFF for i in range(1 << 20)))' > "$work/disk.img"
# The same disk with an MBR whose partition ends at head 15, sector 32: QEMU then takes its CHS
# geometry from the partition table (16 heads, 32 sectors) instead of from the size.
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[0x1BE:0x200] = bytes(0x42)
d[0x1BE:0x1CE] = bytes([0, 0, 33, 0, 0x0C, 15, 32, 3]) + (32).to_bytes(4, "little") + (2016).to_bytes(4, "little")
d[510:512] = b"\x55\xaa"
open(sys.argv[2], "wb").write(d)' "$work/disk.img" "$work/disk-mbr.img"

run() { # run <probe> <output dir> <output file> [disk image]
    local probe=$1 out=$2 file=$3 disk=${4:-$work/disk.img}
    nasm -f bin -i "$here/qemu-probes/" -o "$work/$probe.bin" "$here/qemu-probes/$probe.asm"
    cmp "$work/$probe.bin" "$here/qemu-probes/$probe.bin" || {
        echo "capture: $probe.bin is not the assembled $probe.asm; reassemble and commit it" >&2
        exit 1
    }
    python3 -c '
import sys
sys.stdout.buffer.write(bytes((7 * i + 3) & 0xFF for i in range(0x84000)))' > "$work/vars.fd"
    rm -f "$work/$probe.log"
    qemu-system-x86_64 -machine q35,accel=tcg -no-user-config -nodefaults -m 256 \
        -smp 1,sockets=1,cores=1,threads=1 -display none -serial null \
        -drive file="$work/$probe.bin",if=pflash,format=raw,unit=0,readonly=on \
        -drive file="$work/vars.fd",if=pflash,format=raw,unit=1,readonly=off \
        -drive file="$disk",format=raw \
        -debugcon file:"$work/$probe.log" -global isa-debugcon.iobase=0x402 </dev/null &
    local pid=$! i
    for i in $(seq 1 300); do
        grep -q '^END$' "$work/$probe.log" 2>/dev/null && break
        sleep 0.1
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
    grep -q '^END$' "$work/$probe.log" || { echo "capture: $probe did not finish" >&2; exit 1; }
    mkdir -p "$out"
    cp "$work/$probe.log" "$out/$file"
    qemu-system-x86_64 --version | head -1 > "$out/qemu-version.txt"
    echo "capture: wrote $out/$file"
}

run ahci-probe "$resources/qemu-ahci" probe.txt
run ahci-probe "$resources/qemu-ahci" probe-mbr.txt "$work/disk-mbr.img"
run pflash-probe "$resources/qemu-pflash" probe.txt
run fwcfg-dma-probe "$resources/qemu-fwcfg" dma-probe.txt
