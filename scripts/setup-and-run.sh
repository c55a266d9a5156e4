#!/usr/bin/env bash
# The README's set-up-and-run command: builds varsgen, fills the firmware fixture cache and
# runs the main job on Debian's files.
#
# The main job is to generate OVMF_VARS_4M.ms.fd from Debian's OVMF build. Booting firmware is
# not possible yet (README.md, status table), so today this runs what varsgen can do: inspect
# Debian's shipped store and compare it with the one QEMU produced from the same inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
scripts/fetch-firmware.sh
varsgen=vars-generator/target/varsgen/bin/varsgen
fixtures=${VARSGEN_FIXTURES:-target/fixtures}
ms="$fixtures/debian-trixie/OVMF_VARS_4M.ms.fd"
qemu="$fixtures/qemu-reference/OVMF_VARS_4M.ms.qemu-run1.fd"
if [ ! -e "$ms" ]; then
  echo "setup-and-run.sh: $ms not found: the fixtures of ../shared/firmware are needed (see docs/fixtures.md)" >&2
  exit 3
fi
echo "== varsgen inspect $ms"
"$varsgen" inspect "$ms"
if [ -e "$qemu" ]; then
  echo "== varsgen diff --ignore-timestamps (Debian's store against QEMU's run of the same job)"
  "$varsgen" diff --ignore-timestamps "$ms" "$qemu"
fi
