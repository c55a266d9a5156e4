#!/bin/sh
# Runs every test guest under QEMU (the reference machine) and stores its port-0x402 output
# as emulator/src/test/resources/guests/<guest>.expected, which GuestProgramTest compares
# varsgen's output with. Usage: scripts/run-guests-qemu.sh [guest...]
#
# Each guest is a 64 KiB -bios image; it ends by writing to QEMU's isa-debug-exit at 0xF4,
# whose exit status is (value << 1) | 1: 1 means the guest reported no failure.
# The paging guest maps a 1 GiB page, which qemu64 does not advertise: it runs with
# -cpu qemu64,+pdpe1gb (varsgen's page walker accepts 1 GiB pages regardless of CPUID).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/emulator/src/test/resources/guests"
qemu="${QEMU:-qemu-system-x86_64}"
command -v "$qemu" >/dev/null || { echo "run-guests-qemu: $qemu is not installed" >&2; exit 1; }
[ $# -gt 0 ] || set -- $(cd "$dir" && ls *.asm | sed 's/\.asm$//')
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
for g in "$@"; do
    cpu=qemu64
    [ "$g" = paging ] && cpu=qemu64,+pdpe1gb
    rc=0
    timeout 30 "$qemu" -no-reboot -machine q35,accel=tcg -cpu "$cpu" -m 128M -nodefaults -display none \
        -bios "$dir/$g.bin" -debugcon "file:$tmp/$g.out" -global isa-debugcon.iobase=0x402 \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none -monitor none || rc=$?
    if [ "$rc" -ne 1 ]; then
        echo "run-guests-qemu: $g: exit status $rc (expected 1: exit port written with 0)" >&2
        status=1
    fi
    cp "$tmp/$g.out" "$dir/$g.expected"
    echo "== $g (exit status $rc) =="
    head -c 20000 "$dir/$g.expected"
done
exit $status
