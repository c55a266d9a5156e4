#!/bin/sh
# Measures the interpreter's guest MIPS on the fixed workloads of docs/PERFORMANCE.md.
# Usage: scripts/bench-interpreter.sh [scale]   (scale multiplies the instruction counts; 0.1 = quick look)
# Environment: JAVA (default java), BENCH_JAVA_OPTS (extra JVM options, e.g. -XX:TieredStopAtLevel=1),
#              VARSGEN_FIRMWARE (the fixtures directory, for the OVMF workload).
# Takes about a minute at scale 1. The machine's other load disturbs the figures: run it on a quiet machine,
# and read the best round rather than the median.
set -e
cd "$(dirname "$0")/.."
mvn -B -q -o -pl emulator test-compile
cp=emulator/target/classes:emulator/target/test-classes
exec "${JAVA:-java}" -XX:+UseSerialGC $BENCH_JAVA_OPTS -cp "$cp" org.varsgen.emulator.cpu.InterpreterBenchmark "$@"
