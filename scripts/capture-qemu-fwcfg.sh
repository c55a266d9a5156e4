#!/usr/bin/env bash
# Captures what QEMU presents through fw_cfg on Debian's edk2-vars-generator command line and
# stores it as test data under emulator/src/test/resources/qemu-fwcfg/. Run once by hand (needs
# qemu-system-x86_64, nasm, python3 and the fixtures in /work/shared/firmware, or FIRMWARE=dir).
#
# Method: qemu-probes/fwcfg-dump.asm is a 64 KiB real-mode program that replaces OVMF_CODE as
# pflash unit 0 (everything else on the command line stays as Debian has it). It reads the
# legacy items and every file of the fw_cfg directory through ports 0x510/0x511 and prints them
# in hex on the debug console 0x402; this script turns that log into files. Two runs: without
# and with the OEM string (-smbios type=11,value=...), since only the SMBIOS tables differ.
# QEMU's ACPI blobs and option ROMs are not stored (only their names and sizes are): varsgen
# must not embed QEMU's generated code or data.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
firmware=${FIRMWARE:-/work/shared/firmware}
out=$repo/emulator/src/test/resources/qemu-fwcfg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nasm -f bin -i "$here/qemu-probes/" -o "$work/dump.bin" "$here/qemu-probes/fwcfg-dump.asm"
cmp "$work/dump.bin" "$here/qemu-probes/fwcfg-dump.bin" || {
    echo "capture: fwcfg-dump.bin is not the assembled fwcfg-dump.asm; reassemble and commit it" >&2
    exit 1
}
cp "$firmware/debian-trixie/OVMF_VARS_4M.fd" "$work/vars.fd"
truncate -s 1M "$work/disk.img"

run() { # run <name> [extra qemu args...]
    local name=$1; shift
    rm -f "$work/$name.log"
    qemu-system-x86_64 -machine q35,accel=tcg -no-user-config -nodefaults -m 256 \
        -smp 1,sockets=1,cores=1,threads=1 -display none -serial null \
        -chardev null,id=charserial1 -device isa-serial,chardev=charserial1,id=serial1 \
        -drive file="$here/qemu-probes/fwcfg-dump.bin",if=pflash,format=raw,unit=0,readonly=on \
        -drive file="$work/vars.fd",if=pflash,format=raw,unit=1,readonly=off \
        -drive file="$work/disk.img",format=raw \
        -debugcon file:"$work/$name.log" -global isa-debugcon.iobase=0x402 \
        "$@" </dev/null &
    local pid=$! i
    for i in $(seq 1 300); do
        grep -q '^END$' "$work/$name.log" 2>/dev/null && break
        sleep 0.1
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
    grep -q '^END$' "$work/$name.log" || { echo "capture: $name: the dump did not finish" >&2; exit 1; }
    python3 "$here/qemu-probes/split-fwcfg-dump.py" "$work/$name.log" "$out/$name"
}

rm -rf "$out"
run plain
run oem -smbios type=11,value="$(cat "$firmware/debian-trixie/oem-string-vendor")"
cp "$firmware/debian-trixie/oem-string-vendor" "$out/oem-string-vendor"
qemu-system-x86_64 --version | head -1 > "$out/qemu-version.txt"
echo "capture: wrote $out"
