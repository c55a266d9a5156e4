package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.bus.SystemMemory;
import org.varsgen.emulator.devices.DebugConsole;
import org.varsgen.emulator.devices.LocalApic;
import org.varsgen.emulator.time.VirtualClock;

/**
 * Runs the nasm test guests (src/test/resources/guests, see docs/test-guests.md) from the reset
 * vector on varsgen's CPU and compares their port-0x402 output with what they printed under
 * QEMU (the .expected files, written by scripts/run-guests-qemu.sh), line for line.
 *
 * <p>The machine is the smallest the guests need: 16 MiB of RAM, the 64 KiB image as ROM at
 * the top of 4 GiB and aliased at 0xF0000 (as QEMU maps -bios), the debug console at 0x402,
 * an exit port at 0xF4 (QEMU's isa-debug-exit) and the local APIC at 0xFEE00000 as the
 * CPU's interrupt pins. SMRAM is plain RAM at the default SMBASE (no chipset).
 */
class GuestProgramTest {
    private static final int RAM = 16 << 20;
    private static final int IMAGE = 0x10000;
    private static final long MAX_INSTRUCTIONS = 20_000_000;

    /** The guest machine: buses, devices, and what the guest printed and passed to the exit port. */
    private static final class GuestBoard {
        final StringBuilder console = new StringBuilder();
        final VirtualClock clock = new VirtualClock();
        final TestMachine machine;
        long exitValue = -1;

        GuestBoard(byte[] image) {
            SystemMemory memory = new SystemMemory(RAM + IMAGE);
            System.arraycopy(image, 0, memory.ram(), RAM, IMAGE);
            memory.add(Region.ram("ram", 0, RAM, 0, false));
            memory.add(Region.ram("bios", 0x1_0000_0000L - IMAGE, IMAGE, RAM, true));
            memory.add(Region.ram("isa-bios", 0x100000 - IMAGE, IMAGE, RAM, true).withPriority(1));
            LocalApic apic = new LocalApic(clock, 0);
            memory.add(Region.mmio("apic-msi", LocalApic.DEFAULT_BASE, 0x1000, apic, LocalApic.ACCESS));
            IoSpace io = new IoSpace();
            DebugConsole debugcon = new DebugConsole();
            debugcon.setOutput(b -> console.append((char) b));
            io.add(Region.mmio("isa-debugcon", DebugConsole.PORT, 1, debugcon, DebugConsole.ACCESS));
            RegionHandler exit = new RegionHandler() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    exitValue = value;
                }
            };
            io.add(Region.mmio("isa-debug-exit", 0xF4, 4, exit, AccessConstraints.of(1, 4, 1, 4)));
            machine = new TestMachine(memory, io, apic, clock);
        }

        /** Runs until the exit port is written, skipping idle time in HLT to the next timer. */
        void run() {
            Cpu cpu = machine.cpu;
            while (exitValue < 0 && !cpu.shutdown() && cpu.retiredInstructions() < MAX_INSTRUCTIONS) {
                cpu.run(100_000);
                if (exitValue < 0 && machine.s.halted && !cpu.shutdown()) {
                    if (!clock.skipToNextDeadline()) {
                        break;
                    }
                    clock.runDueTimers();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"modes", "exceptions", "paging", "apic-timer", "smm"})
    void guestPrintsWhatItPrintsUnderQemu(String guest) throws IOException {
        byte[] image = resource(guest + ".bin");
        assertEquals(IMAGE, image.length, guest + ".bin must be a 64 KiB BIOS image");
        List<String> expected = new String(resource(guest + ".expected"), StandardCharsets.ISO_8859_1).lines().toList();

        GuestBoard board = new GuestBoard(image);
        assertDoesNotThrow(board::run, guest + ": a Java exception escaped the emulator");
        List<String> actual = board.console.toString().lines().toList();

        String context = String.format("%s: rip=%x, %d instructions, shutdown=%b, halted=%b, output:%n%s",
                guest, board.machine.s.rip, board.machine.cpu.retiredInstructions(), board.machine.cpu.shutdown(),
                board.machine.s.halted, board.console);
        assertEquals(0, board.exitValue, "exit port value; " + context);
        assertEquals(expected, actual, context);
        assertFalse(actual.stream().anyMatch(l -> l.startsWith("FAIL")), context);
        assertTrue(actual.get(actual.size() - 1).startsWith("DONE failures=00000000"), context);
    }

    /** The committed binaries are what their committed sources assemble to (scripts/assemble-guests.sh). */
    @ParameterizedTest
    @ValueSource(strings = {"modes", "paging", "exceptions", "apic-timer", "smm"})
    void binaryMatchesSource(String guest) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("varsgen-guest");
        try {
            for (String name : List.of(guest + ".asm", "common.inc")) {
                Files.write(dir.resolve(name), resource(name));
            }
            Process p;
            try {
                p = new ProcessBuilder("nasm", "-f", "bin", "-Werror", "-o", "out.bin", guest + ".asm")
                        .directory(dir.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                Assumptions.abort("nasm is not installed: " + e.getMessage());
                return;
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "nasm did not finish");
            assertEquals(0, p.exitValue(), "nasm " + guest + ".asm: " + log);
            assertArrayEquals(resource(guest + ".bin"), Files.readAllBytes(dir.resolve("out.bin")),
                    guest + ".bin is stale: run scripts/assemble-guests.sh and scripts/run-guests-qemu.sh");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GuestProgramTest.class.getResourceAsStream("/guests/" + name)) {
            assertNotNull(in, "missing test resource guests/" + name + " (scripts/assemble-guests.sh, scripts/run-guests-qemu.sh)");
            return in.readAllBytes();
        }
    }
}
