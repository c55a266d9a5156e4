#!/bin/sh
# Runs the test guests under QEMU (the reference machine) and stores each one's port-0x402
# output as emulator/src/test/resources/guests/<guest>.expected; GuestProgramTest asserts that
# varsgen's CPU prints exactly the same. With --check nothing is written: QEMU's output is
# compared with the committed .expected files (diff shown, exit status 1 on a difference).
#
# Usage: scripts/run-guests-qemu.sh [--check] [guest...]   (default: every *.asm guest)
#
# Each guest is a 64 KiB -bios image (mapped below 4 GiB and at 0xF0000); it ends by writing
# to isa-debug-exit at 0xF4, whose exit status is (value << 1) | 1: 1 means the guest reported
# no failure. The paging guest maps a 1 GiB page, which qemu64 does not advertise in CPUID: it
# runs with -cpu qemu64,+pdpe1gb (varsgen's page walker accepts 1 GiB pages regardless).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/emulator/src/test/resources/guests"
qemu="${QEMU:-qemu-system-x86_64}"
check=false
if [ "${1:-}" = --check ]; then
    check=true
    shift
fi
command -v "$qemu" >/dev/null || { echo "run-guests-qemu: $qemu is not installed" >&2; exit 1; }
[ $# -gt 0 ] || set -- $(cd "$dir" && ls *.asm | sed 's/\.asm$//')
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
for g in "$@"; do
    [ -f "$dir/$g.bin" ] || { echo "run-guests-qemu: no guest $dir/$g.bin" >&2; status=1; continue; }
    cpu=qemu64
    [ "$g" = paging ] && cpu=qemu64,+pdpe1gb
    rc=0
    : > "$tmp/$g.out"
    timeout 30 "$qemu" -no-reboot -machine q35,accel=tcg -cpu "$cpu" -m 128M -nodefaults -display none \
        -bios "$dir/$g.bin" -debugcon "file:$tmp/$g.out" -global isa-debugcon.iobase=0x402 \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none -monitor none || rc=$?
    echo "== $g (QEMU exit status $rc) =="
    if [ "$rc" -ne 1 ]; then
        echo "run-guests-qemu: $g: exit status $rc (expected 1: exit port written with 0)" >&2
        status=1
    fi
    if $check; then
        if diff -u "$dir/$g.expected" "$tmp/$g.out"; then
            echo "same output as $g.expected"
        else
            status=1
        fi
    else
        cp "$tmp/$g.out" "$dir/$g.expected"
        head -c 20000 "$dir/$g.expected"
    fi
done
exit $status
