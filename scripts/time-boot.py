#!/usr/bin/python3
"""Times the same job in QEMU 7.2 (TCG) and in `varsgen run`, alternately, several times: boot
Debian's release no-SMM OVMF from a FAT disk holding the shell as BOOTX64.EFI, press ESC at
"Press ESC", type `reset -s` at `Shell>`, wait for the power-off. Prints each run's wall time
and the medians. QEMU is driven like varsgen's input script: the text is typed when the prompt
appears on COM1, not after fixed delays.

Usage: scripts/time-boot.py [RUNS]   (FIRMWARE=dir, VARSGEN=launcher override the defaults)
Needs qemu-system-x86_64, mtools, dosfstools and `mvn -B -o package -DskipTests`.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FW = os.environ.get('FIRMWARE', '/work/shared/firmware')
VARSGEN = os.environ.get('VARSGEN', os.path.join(HERE, '..', 'vars-generator', 'target', 'varsgen', 'bin', 'varsgen'))
CODE = os.path.join(FW, 'debian-trixie', 'OVMF_CODE_4M.fd')
VARS = os.path.join(FW, 'debian-trixie', 'OVMF_VARS_4M.fd')
SHELL = os.path.join(FW, 'debian-trixie', 'shellx64.efi')
ANSI = re.compile(rb'\x1b\[[0-9;=]*[A-Za-z]')


def qemu_run(work):
    disk = os.path.join(work, 'disk.img')
    if not os.path.exists(disk):
        with open(disk, 'wb') as f:
            f.truncate(64 << 20)
        subprocess.run(['mkfs.fat', '-F', '32', disk], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(['mmd', '-i', disk, '::EFI', '::EFI/BOOT'], check=True)
        subprocess.run(['mcopy', '-i', disk, SHELL, '::EFI/BOOT/BOOTX64.EFI'], check=True)
    vars_copy = os.path.join(work, 'vars.fd')
    shutil.copyfile(VARS, vars_copy)
    start = time.monotonic()
    p = subprocess.Popen(['qemu-system-x86_64', '-machine', 'q35,accel=tcg', '-no-user-config', '-nodefaults',
                          '-m', '256', '-smp', '1,sockets=1,cores=1,threads=1', '-display', 'none',
                          '-serial', 'stdio', '-chardev', 'null,id=c1', '-device', 'isa-serial,chardev=c1,id=serial1',
                          '-drive', f'file={CODE},if=pflash,format=raw,unit=0,readonly=on',
                          '-drive', f'file={vars_copy},if=pflash,format=raw,unit=1,readonly=off',
                          '-drive', f'file={disk},format=raw'],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = b''
    steps = [(b'Press ESC', b'\x1b'), (b'Shell>', b'reset -s\r')]
    fd = p.stdout.fileno()
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        seen += chunk
        text = ANSI.sub(b'', seen)
        if steps and steps[0][0] in text:
            p.stdin.write(steps[0][1])
            p.stdin.flush()
            seen = b''
            steps.pop(0)
    p.wait()
    return time.monotonic() - start, not steps


def varsgen_run(work):
    script = os.path.join(work, 'input.script')
    with open(script, 'w') as f:
        f.write('expect Press ESC\nsend-raw \\e\nexpect Shell>\nsend reset -s\n')
    start = time.monotonic()
    r = subprocess.run([VARSGEN, 'run', '--code', CODE, '--vars', VARS,
                        '--disk-file', f'EFI/BOOT/BOOTX64.EFI={SHELL}', '--serial', os.path.join(work, 'serial.log'),
                        '--input-script', script, '--stats'], capture_output=True, text=True)
    return time.monotonic() - start, r.returncode == 0, r.stderr.strip()


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    work = tempfile.mkdtemp()
    try:
        q, v = [], []
        for i in range(runs):
            t, ok = qemu_run(work)
            q.append(t)
            print(f'run {i + 1}: qemu    {t:6.1f} s{"" if ok else " (prompts not all seen)"}', flush=True)
            t, ok, stats = varsgen_run(work)
            v.append(t)
            print(f'run {i + 1}: varsgen {t:6.1f} s{"" if ok else " (failed)"}  {stats}', flush=True)
        mq, mv = statistics.median(q), statistics.median(v)
        print(f'median: qemu {mq:.1f} s, varsgen {mv:.1f} s, ratio {mv / mq:.1f}')
    finally:
        shutil.rmtree(work)


if __name__ == '__main__':
    main()
