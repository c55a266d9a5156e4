#!/usr/bin/env bash
# The project's test command (README.md): fills the firmware fixture cache, then builds and
# runs every test. Tests whose fixtures cannot be found skip and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-firmware.sh || echo "test.sh: fetch-firmware.sh failed; tests that need firmware will skip" >&2
exec mvn -B verify "$@"
