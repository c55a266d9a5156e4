#!/usr/bin/env bash
# Checks varsgen's ACPI decision with QEMU 7.2 as the CPU: runs Debian's enrolment job on the
# DEBUG SMM image with QEMU's own ACPI tables switched off (-machine acpi=off) and varsgen's
# etc/table-loader, etc/acpi/tables and etc/acpi/rsdp given through -fw_cfg instead, then compares
# the variable store with the one QEMU produced with its own tables
# (qemu-reference/OVMF_VARS_4M.ms.debug-smm-enroll.qemu.fd). Expected: the firmware logs
# "InstallQemuFwCfgTables: installed 4 tables", the job succeeds, and the stores differ only in
# the four EFI_TIME stamps of PK, KEK, db and dbx (as two QEMU runs differ from each other).
# Needs qemu-system-x86_64, mtools, dosfstools, java, a compiled emulator module
# (mvn -o -q -pl emulator compile) and the shared firmware fixtures (FIRMWARE=dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
F=${FIRMWARE:-/work/shared/firmware}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

java -cp "$repo/emulator/target/classes" "$here/qemu-probes/DumpAcpiTables.java" "$work"
# The boot disk of the reference run: shell as BOOTX64.EFI, EnrollDefaultKeys.efi, startup.nsh.
truncate -s 64M "$work/disk.img"
mkfs.fat -F 32 "$work/disk.img" >/dev/null
mmd -i "$work/disk.img" ::EFI ::EFI/BOOT
mcopy -i "$work/disk.img" "$F/debian-trixie/shellx64.efi" ::EFI/BOOT/BOOTX64.EFI
mcopy -i "$work/disk.img" "$F/debian-trixie/EnrollDefaultKeys.efi" ::EnrollDefaultKeys.efi
printf 'FS0:\r\nEnrollDefaultKeys.efi\r\nsetvar BootOrder =\r\nreset -s\r\n' > "$work/startup.nsh"
mcopy -i "$work/disk.img" "$work/startup.nsh" ::startup.nsh
cp "$F/edk2-2025.02-debug/OVMF_VARS_4M.secboot.fd" "$work/vars.fd"
chmod u+w "$work/vars.fd"

timeout 600 qemu-system-x86_64 -machine q35,accel=tcg,acpi=off -no-user-config -nodefaults -m 256 \
    -smp 1,sockets=1,cores=1,threads=1 -display none -serial file:"$work/serial.log" \
    -chardev null,id=c1 -device isa-serial,chardev=c1,id=serial1 \
    -drive file="$F/edk2-2025.02-debug/OVMF_CODE_4M.secboot.fd",if=pflash,format=raw,unit=0,readonly=on \
    -drive file="$work/vars.fd",if=pflash,format=raw,unit=1,readonly=off \
    -drive file="$work/disk.img",format=raw \
    -smbios type=11,value="$(cat "$F/debian-trixie/oem-string-vendor")" \
    -fw_cfg name=etc/table-loader,file="$work/loader.bin" \
    -fw_cfg name=etc/acpi/tables,file="$work/tables.bin" \
    -fw_cfg name=etc/acpi/rsdp,file="$work/rsdp.bin" \
    -debugcon file:"$work/debug.log" -global isa-debugcon.iobase=0x402 2>/dev/null

grep 'InstallQemuFwCfgTables' "$work/debug.log"
grep -q '^info: success' "$work/serial.log" && echo "check: EnrollDefaultKeys succeeded"
python3 - "$work/vars.fd" "$F/qemu-reference/OVMF_VARS_4M.ms.debug-smm-enroll.qemu.fd" <<'PY'
import sys
a, b = (open(p, "rb").read() for p in sys.argv[1:3])
runs, i = [], 0
while i < len(a):
    if a[i] != b[i]:
        j = i
        while j < len(a) and a[j] != b[j]:
            j += 1
        runs.append((i, j - i))
        i = j
    else:
        i += 1
print("check: differing byte runs (offset, length):", [(hex(o), n) for o, n in runs])
PY
