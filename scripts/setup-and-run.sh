#!/usr/bin/env bash
# The README's set-up-and-run command: builds varsgen, fills the firmware fixture cache and
# runs the main job on Debian's files: make OVMF_VARS_4M.ms.fd from Debian trixie's secboot
# OVMF, EnrollDefaultKeys.efi, the UEFI shell and Debian's PK/KEK certificate, exactly as
# Debian's build calls edk2-vars-generator, then compare it with the store Debian ships.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
scripts/fetch-firmware.sh
bin=vars-generator/target/varsgen/bin
fx=${VARSGEN_FIXTURES:-target/fixtures}/debian-trixie
for f in OVMF_CODE_4M.secboot.fd OVMF_VARS_4M.fd OVMF_VARS_4M.ms.fd EnrollDefaultKeys.efi shellx64.efi oem-string-vendor; do
  if [ ! -e "$fx/$f" ]; then
    echo "setup-and-run.sh: $fx/$f not found: the fixtures of ../shared/firmware are needed (see docs/fixtures.md)" >&2
    exit 3
  fi
done
out=target/OVMF_VARS_4M.ms.fd
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
echo "== edk2-vars-generator -f OVMF_4M ... -o $out (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
time "$bin/edk2-vars-generator" -f OVMF_4M -e "$fx/EnrollDefaultKeys.efi" -s "$fx/shellx64.efi" \
  -C "$(cat "$fx/oem-string-vendor")" -c "$fx/OVMF_CODE_4M.secboot.fd" -V "$fx/OVMF_VARS_4M.fd" \
  -o "$out" --json-report target/OVMF_VARS_4M.ms.json
echo "== varsgen diff $fx/OVMF_VARS_4M.ms.fd $out (Debian's shipped store against ours)"
"$bin/varsgen" diff "$fx/OVMF_VARS_4M.ms.fd" "$out" || true
echo "== varsgen diff --ignore-timestamps (must report no differences)"
"$bin/varsgen" diff --ignore-timestamps "$fx/OVMF_VARS_4M.ms.fd" "$out"
