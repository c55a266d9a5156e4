#!/usr/bin/env bash
# Boots the same firmware, vars template, disk files and OEM strings in qemu-system-x86_64
# (q35, TCG, Debian's command line plus the debug console on port 0x402) and in `varsgen run`,
# then prints the first line where the two debug-console logs part (after masking what
# legitimately differs: the RTC bytes of the CMOS dump, and the ACPI table count and the pool
# addresses after it, since varsgen installs its own 4 tables), and both serial transcripts.
#
#   scripts/compare-with-qemu.sh --code CODE.fd --vars VARS.fd [--disk-file NAME=PATH ...]
#       [--oem-string STRING ...] [--reference LOG] [--keep DIR] [--timeout SECONDS]
#
# --reference LOG: do not run QEMU, compare with LOG (e.g. the DEBUG images' logs in
#   $FIRMWARE/qemu-reference/debugcon-2025.02-debug-nosmm.log).
# Both guests get the same console input: ESC at the shell's "Press ESC" prompt (QEMU: typed
# after a fixed delay), then `reset -s` at `Shell>`. Needs qemu-system-x86_64, mtools,
# dosfstools, python3 and the distribution built by `mvn -B -o package -DskipTests`
# (vars-generator/target/varsgen; VARSGEN=path overrides the launcher).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
varsgen=${VARSGEN:-$repo/vars-generator/target/varsgen/bin/varsgen}
code= vars= reference= keep= timeout=900
disk_files=() oem=()
while [ $# -gt 0 ]; do
    case "$1" in
        --code) code=$2; shift 2 ;;
        --vars) vars=$2; shift 2 ;;
        --disk-file) disk_files+=("$2"); shift 2 ;;
        --oem-string) oem+=("$2"); shift 2 ;;
        --reference) reference=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        *) echo "compare-with-qemu.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$code" ] && [ -n "$vars" ] || { echo "usage: $0 --code CODE.fd --vars VARS.fd [--disk-file NAME=PATH ...] [--oem-string S ...] [--reference LOG]" >&2; exit 2; }
[ -x "$varsgen" ] || { echo "compare-with-qemu.sh: $varsgen missing; run mvn -B -o package -DskipTests" >&2; exit 2; }
if [ -n "$keep" ]; then work=$keep; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

printf 'expect Press ESC\nsend-raw \\e\nexpect Shell>\nsend reset -s\n' > "$work/input.script"

vg_args=(run --code "$code" --vars "$vars" --debugcon "$work/varsgen.debugcon" --serial "$work/varsgen.serial"
         --input-script "$work/input.script" --vars-out "$work/varsgen.vars.fd" --timeout "$timeout")
for f in "${disk_files[@]}"; do vg_args+=(--disk-file "$f"); done
for s in "${oem[@]}"; do vg_args+=(--oem-string "$s"); done

if [ -z "$reference" ]; then
    # QEMU's disk: the same files in a 64 MiB FAT32 volume without partition table.
    truncate -s 64M "$work/disk.img"
    mkfs.fat -F 32 "$work/disk.img" >/dev/null
    for f in "${disk_files[@]}"; do
        name=${f%%=*} path=${f#*=} dir=
        IFS=/ read -ra parts <<< "$name"
        for ((i = 0; i < ${#parts[@]} - 1; i++)); do
            dir=${dir:+$dir/}${parts[i]}
            mmd -i "$work/disk.img" "::$dir" 2>/dev/null || true
        done
        mcopy -i "$work/disk.img" "$path" "::$name"
    done
    cp "$vars" "$work/qemu.vars.fd"; chmod u+w "$work/qemu.vars.fd"
    smbios=()
    for s in "${oem[@]}"; do smbios+=(-smbios "type=11,value=$s"); done
    # ESC once the countdown shows (about 2-3 s into the boot), `reset -s` a little later.
    # QEMU powers off after `reset -s`; the pipe's last sleep only bounds how long that may take.
    qemu_start=$(date +%s.%N)
    { sleep 6; printf '\033'; sleep 4; printf 'reset -s\r'; sleep 20; } | \
    timeout "$timeout" qemu-system-x86_64 -machine q35,accel=tcg -no-user-config -nodefaults -m 256 \
        -smp 1,sockets=1,cores=1,threads=1 -display none -serial stdio \
        -chardev null,id=c1 -device isa-serial,chardev=c1,id=serial1 \
        -drive file="$code",if=pflash,format=raw,unit=0,readonly=on \
        -drive file="$work/qemu.vars.fd",if=pflash,format=raw,unit=1,readonly=off \
        -drive file="$work/disk.img",format=raw \
        "${smbios[@]}" -debugcon file:"$work/qemu.debugcon" -global isa-debugcon.iobase=0x402 \
        > "$work/qemu.serial" 2>"$work/qemu.stderr" || echo "(QEMU ended with status $?)"
    echo "qemu: ended $(python3 -c "print(round($(date +%s.%N) - $qemu_start, 1))") s after start (typing is on fixed delays)"
    reference=$work/qemu.debugcon
fi

start=$(date +%s.%N)
status=0
"$varsgen" "${vg_args[@]}" --no-stdin --stats 2>"$work/varsgen.stderr" || status=$?
end=$(date +%s.%N)
echo "varsgen run: exit $status after $(python3 -c "print(round($end - $start, 1))") s wall"
cat "$work/varsgen.stderr"

/usr/bin/python3 - "$reference" "$work/varsgen.debugcon" <<'PY'
import re, sys
def load(path):
    with open(path, 'rb') as f:
        text = f.read().decode('latin-1').replace('\r', '')
    lines = text.split('\n')
    out = []
    after_acpi = False
    for line in lines:
        # varsgen gives the firmware 4 ACPI tables of its own where QEMU gives 7 (see
        # docs/firmware-interfaces.md): the count differs, and pool allocations after it move.
        if 'InstallQemuFwCfgTables: installed' in line:
            line = re.sub(r'installed \d+ tables', 'installed N tables', line)
            after_acpi = True
        elif after_acpi:
            line = re.sub(r'(?<![-\w])(0x)?[0-9A-Fa-f]{6,}(?![-\w])', 'ADDR', line)
        # CMOS dump, first row: bytes 0-9 are the RTC's time and date
        m = re.match(r'^00: ((?:[0-9A-F]{2} ){10})(.*)$', line)
        if m:
            line = '00: ' + 'xx ' * 10 + m.group(2)
        out.append(line)
    return out
ref, ours = load(sys.argv[1]), load(sys.argv[2])
n = min(len(ref), len(ours))
for i in range(n):
    if ref[i] != ours[i]:
        print(f"debug console logs part at line {i + 1}:")
        for j in range(max(0, i - 3), i):
            print(f"  both   : {ref[j]}")
        print(f"  qemu   : {ref[i]}")
        print(f"  varsgen: {ours[i]}")
        sys.exit(0)
if len(ref) == len(ours):
    print(f"debug console logs equal ({len(ref)} lines; RTC bytes, ACPI table count and later pool addresses masked)")
else:
    longer = 'qemu' if len(ref) > len(ours) else 'varsgen'
    print(f"debug console logs equal for {n} lines; {longer}'s goes on:")
    print("  " + (ref if longer == 'qemu' else ours)[n])
PY
echo "---- varsgen serial (escape sequences removed) ----"
sed 's/\x1b\[[0-9;=]*[A-Za-z]//g' "$work/varsgen.serial" | tr -d '\r'
if [ -f "$work/qemu.serial" ]; then
    echo "---- qemu serial (escape sequences removed) ----"
    sed 's/\x1b\[[0-9;=]*[A-Za-z]//g' "$work/qemu.serial" | tr -d '\r'
fi
