#!/usr/bin/python3
"""Compares varsgen's bus trace (varsgen run --trace FILE) with one of QEMU's condensed device
traces (shared/firmware/qemu-reference/devtrace-*.log.xz, or any file in that format) and prints
the places where they part, resynchronising after each.

Usage: scripts/compare-devtrace.py QEMU_TRACE[.xz] VARSGEN_TRACE [MAX_DIFFERENCES]

Normalised first, because they differ by design or by timing:
- ACPI PM timer reads (timing) and accesses made by devices, e.g. MSIs, are dropped;
- RTC reads of registers 0-10 (time of day, UIP) become TIME;
- runs of fw_cfg DMA register writes become one DMA line: QEMU traces their values after its
  big-endian swap, and its directory has one more file (genroms/kvmvapic.bin), so a full
  directory scan takes 4 more transfers in QEMU;
- varsgen's own `X` lines (rejected or unassigned accesses, which QEMU does not trace) are dropped;
- local APIC EOI writes (W apic-msi 0xfee000b0) are dropped: timer interrupts land at other
  instructions in the two machines, and where one lands the condenser also splits the debug
  text line, so the `# text` lines are left out too (compare-with-qemu.sh compares the text).
"""
import lzma
import sys


def load(path):
    opener = lzma.open if path.endswith('.xz') else open
    out = []
    rtc_index = 0
    with opener(path, 'rt', encoding='latin-1') as f:
        for line in f:
            line = line.rstrip('\n')
            fields = line.split(' ')
            if (line.startswith('R acpi-tmr') or line.endswith('(device)') or line.startswith('X ')
                    or line.startswith('W apic-msi 0xfee000b0 ') or line.startswith('#')):
                continue
            if len(fields) >= 5 and fields[1] == 'rtc-index' and fields[0] == 'W':
                rtc_index = int(fields[4], 16) & 0x7F
            if len(fields) >= 5 and fields[1] == 'rtc' and fields[0] == 'R' and rtc_index <= 10:
                line = 'R rtc 0x71 1 TIME'
            if line.startswith('W fwcfg.dma'):
                if out and out[-1] == 'DMA':
                    continue
                line = 'DMA'
            out.append(line)
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    qemu, ours = load(sys.argv[1]), load(sys.argv[2])
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    i = j = shown = 0
    while i < len(qemu) and j < len(ours) and shown < limit:
        if qemu[i] == ours[j]:
            i += 1
            j += 1
            continue
        shown += 1
        print(f'part at qemu line {i + 1} / varsgen line {j + 1} (normalised):')
        for k in range(max(0, i - 3), i):
            print(f'  both   : {qemu[k]}')
        for k in range(4):
            print(f'  qemu   : {qemu[i + k] if i + k < len(qemu) else "(end)"}')
        for k in range(4):
            print(f'  varsgen: {ours[j + k] if j + k < len(ours) else "(end)"}')
        resync = next(((a, b) for a in range(400) for b in range(400)
                       if qemu[i + a:i + a + 4] == ours[j + b:j + b + 4] and i + a + 4 <= len(qemu)), None)
        if resync is None:
            print('  (no common run of 4 lines within the next 400: giving up)')
            return
        i += resync[0]
        j += resync[1]
    print(f'compared {i} of {len(qemu)} qemu lines and {j} of {len(ours)} varsgen lines; {shown} places shown')


if __name__ == '__main__':
    main()
