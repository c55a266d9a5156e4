package org.varsgen.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test-only {@link Booter} that runs the job in QEMU the way Debian's script does (same machine
 * options), with our disk, OEM string and console engine. It proves the generator's side against
 * real firmware before varsgen's own board exists. Guest time here is host time since start:
 * QEMU's clock is not virtual, which is also why its stores are not reproducible.
 */
final class QemuBooter implements Booter {
    private final Path work;

    QemuBooter(Path work) {
        this.work = work;
    }

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public BootResult boot(BootRequest r) {
        try {
            Path code = Files.write(work.resolve("code.fd"), r.code());
            Path vars = Files.write(work.resolve("vars.fd"), r.vars());
            Path disk = Files.write(work.resolve("disk.img"), r.disk());
            List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "q35,accel=tcg",
                    "-no-user-config", "-nodefaults", "-m", "256", "-smp", "1,sockets=1,cores=1,threads=1",
                    "-display", "none", "-serial", "stdio", "-chardev", "null,id=c1", "-device",
                    "isa-serial,chardev=c1,id=serial1",
                    "-drive", "file=" + code + ",if=pflash,format=raw,unit=0,readonly=on",
                    "-drive", "file=" + vars + ",if=pflash,format=raw,unit=1,readonly=off",
                    "-global", "ICH9-LPC.disable_s3=1", "-drive", "file=" + disk + ",format=raw"));
            for (String oem : r.oemStrings()) {
                cmd.add("-smbios");
                cmd.add("type=11,value=" + oem.replace(",", ",,"));
            }
            Process qemu = new ProcessBuilder(cmd).redirectError(work.resolve("qemu.err").toFile()).start();
            long start = System.nanoTime();
            Thread watchdog = new Thread(() -> {
                try {
                    if (!qemu.waitFor(r.wallClockLimit().toMillis(), TimeUnit.MILLISECONDS)) {
                        qemu.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    qemu.destroyForcibly();
                }
            });
            watchdog.start();
            InputStream serial = qemu.getInputStream();
            OutputStream keyboard = qemu.getOutputStream();
            int b;
            while ((b = serial.read()) >= 0) {
                long t = System.nanoTime() - start;
                r.console().onSerialByte(b, t);
                byte[] typed = r.console().poll(t);
                if (typed.length > 0) {
                    keyboard.write(typed);
                    keyboard.flush();
                }
                if (r.console().failed()) {
                    qemu.destroyForcibly();
                    break;
                }
            }
            int exit = qemu.waitFor();
            watchdog.interrupt();
            long elapsed = System.nanoTime() - start;
            BootResult.Outcome outcome = r.console().failed() ? BootResult.Outcome.LIMIT
                    : exit == 0 ? BootResult.Outcome.POWER_OFF : BootResult.Outcome.FAULT;
            return new BootResult(outcome, "qemu exit status " + exit, Files.readAllBytes(vars), elapsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
