package org.varsgen.emulator.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.watchdog.DeadLoop;
import org.varsgen.emulator.watchdog.DeadLoopWatchdog;
import org.varsgen.emulator.watchdog.PeImage;
import org.varsgen.emulator.watchdog.PeImageLocator;

/** The dead-loop watchdog on tiny guests: what it must catch and what it must leave alone. */
class WatchdogTest {
    /** 5 ms of guest time: 5 M instructions, a fraction of a second here. */
    private static final long WINDOW = 5_000_000L;
    private static final RunLimits LIMITS = RunLimits.NONE.withMaxGuestNanos(4 * WINDOW);

    /** pause; jmp back to the pause: edk2's CpuDeadLoop as compiled. */
    private static final int[] PAUSE_LOOP = {0xF3, 0x90, 0xEB, 0xFC};

    /** PMBASE 0x600 and ACPI enable (the start of {@link TestGuest#POWER_OFF}). */
    private static final int[] ENABLE_PM_IO = java.util.Arrays.copyOf(TestGuest.POWER_OFF, 39);

    private static Machine machine(byte[] code, ByteArrayOutputStream com1) {
        Machine m = new Machine(BoardConfig.builder("c", code, "v", TestGuest.vars()).com1(com1::write).build());
        m.setWatchdog(new DeadLoopWatchdog(WINDOW));
        return m;
    }

    @Test
    void pauseLoopAfterConsoleOutputIsADeadLoopWithItsRange() {
        int[] program = TestGuest.concat(TestGuest.output("!!!! exception !!!!", ""), PAUSE_LOOP);
        Machine m = machine(TestGuest.code(program), new ByteArrayOutputStream());
        RunOutcome o = m.run(LIMITS, b -> { });
        assertEquals(RunOutcome.Kind.DEAD_LOOP, o.kind(), o.describe());
        long loop = TestGuest.CODE_IP + 6L * 19;
        DeadLoop d = m.deadLoop().orElseThrow();
        assertEquals(loop, d.low());
        assertEquals(loop + 2, d.high());
        assertEquals(0xF000, d.csSelector());
        assertTrue(d.windowNanos() >= WINDOW);
        // found after one window and a half at most (the CRC is taken at half time)
        assertTrue(o.guestNanos() < 2 * WINDOW, o.describe());
        assertTrue(o.describe().startsWith(String.format("dead loop (loop at 0x%x-0x%x (CS 0xf000) in no known PE image", loop,
                loop + 2)), o.describe());
    }

    @Test
    void pmTimerPollingLikeStallIsNotADeadLoop() {
        int[] poll = {0xBA, 0x08, 0x06, 0x66, 0xED, 0xEB, 0xFB};   // mov dx,0x608; in eax,dx; jmp back to mov
        RunOutcome o = machine(TestGuest.code(TestGuest.concat(ENABLE_PM_IO, poll)), new ByteArrayOutputStream())
                .run(LIMITS, b -> { });
        assertEquals(RunOutcome.Kind.GUEST_TIME_LIMIT, o.kind(), o.describe());
    }

    @Test
    void haltIdleLoopIsNotADeadLoop() {
        RunOutcome o = machine(TestGuest.code(TestGuest.STI_HLT_LOOP), new ByteArrayOutputStream()).run(LIMITS, b -> { });
        assertEquals(RunOutcome.Kind.GUEST_TIME_LIMIT, o.kind(), o.describe());
    }

    @Test
    void tightLoopThatStoresOutsideTheStackIsNotADeadLoop() {
        int[] count = {0x66, 0xFF, 0x06, 0x00, 0x10, 0xEB, 0xF9};   // inc dword [0x1000]; jmp back
        RunOutcome o = machine(TestGuest.code(count), new ByteArrayOutputStream()).run(LIMITS, b -> { });
        assertEquals(RunOutcome.Kind.GUEST_TIME_LIMIT, o.kind(), o.describe());
    }

    @Test
    void withoutTheWatchdogTheLoopRunsToTheLimit() {
        Machine m = new Machine(TestGuest.config(TestGuest.code(PAUSE_LOOP)));
        m.setWatchdog(null);
        RunOutcome o = m.run(LIMITS, b -> { });
        assertEquals(RunOutcome.Kind.GUEST_TIME_LIMIT, o.kind(), o.describe());
    }

    /** A PE32+ image at 0x10000 with an NB10 CodeView record, as edk2's GenFw writes them. */
    private static void placePeImage(byte[] ram, int base, String path, int sizeOfImage) {
        ByteBuffer pe = ByteBuffer.wrap(ram, base, 0x1000).slice().order(ByteOrder.LITTLE_ENDIAN);
        pe.putShort(0, (short) 0x5A4D).putInt(0x3C, 0x80);
        pe.putInt(0x80, 0x4550).putShort(0x84, (short) 0x8664).putShort(0x94, (short) 0xF0);
        int opt = 0x98;
        pe.putShort(opt, (short) 0x20B).putInt(opt + 56, sizeOfImage).putInt(opt + 108, 16);
        pe.putInt(opt + 112 + 6 * 8, 0x300).putInt(opt + 112 + 6 * 8 + 4, 28);
        pe.putInt(0x300 + 12, 2).putInt(0x300 + 16, 0x100).putInt(0x300 + 20, 0x400);
        pe.putInt(0x400, 0x3031424E);
        byte[] name = path.getBytes(StandardCharsets.US_ASCII);
        pe.put(0x410, name).put(0x410 + name.length, (byte) 0);
    }

    @Test
    void theModuleIsNamedFromAPeImageInRam() {
        int[] jumpIntoImage = {0xEA, 0x00, 0x12, 0x00, 0x10};   // jmp 0x1000:0x1200 (linear 0x11200)
        Machine m = machine(TestGuest.code(jumpIntoImage), new ByteArrayOutputStream());
        byte[] ram = m.board().memory.ram();
        placePeImage(ram, 0x10000, "/build/Build/OvmfX64/RELEASE_GCC5/X64/UefiCpuPkg/CpuDxe/CpuDxe/DEBUG/CpuDxe.dll", 0x2000);
        for (int i = 0; i < PAUSE_LOOP.length; i++) {
            ram[0x11200 + i] = (byte) PAUSE_LOOP[i];
        }
        RunOutcome o = m.run(LIMITS, b -> { });
        assertEquals(RunOutcome.Kind.DEAD_LOOP, o.kind(), o.describe());
        PeImage image = m.deadLoop().orElseThrow().module().orElseThrow();
        assertEquals(new PeImage(0x10000, 0x2000, Optional.of("CpuDxe.dll")), image);
        assertTrue(o.describe().contains("loop at 0x1200-0x1202 (CS 0x1000) in CpuDxe.dll (image 0x10000, 0x2000 bytes)"),
                o.describe());
    }

    @Test
    void anImageWithoutCodeViewIsNamedFromItsFirmwareFileInRam() {
        Machine m = machine(TestGuest.code(PAUSE_LOOP), new ByteArrayOutputStream());
        byte[] ram = m.board().memory.ram();
        placePeImage(ram, 0x10000, "", 0x3000);
        ByteBuffer fv = ByteBuffer.wrap(ram).order(ByteOrder.LITTLE_ENDIAN);
        fv.putInt(0x10000 + 0x98 + 112 + 6 * 8, 0);   // no debug directory, as in release builds
        // the firmware file's copy at 0x40000: PE32 section (header 4 bytes + 0x1002 of image), then UI "CpuDxe"
        int section = 0x40000;
        fv.putInt(section, 0x1006 | 0x10 << 24);
        System.arraycopy(ram, 0x10000, ram, section + 4, 0x1000);
        ram[section + 4 + 0x98 + 24] = 0x55;   // the loader rewrote ImageBase in the loaded copy: not compared
        int ui = section + 0x1008;
        byte[] name = "CpuDxe\0".getBytes(StandardCharsets.UTF_16LE);
        fv.putInt(ui, (4 + name.length) | 0x15 << 24);
        fv.put(ui + 4, name);
        assertEquals(Optional.of("CpuDxe"), new PeImageLocator(m.board().memory).find(0x10200).orElseThrow().name());
        // another image with a different entry point does not take the name
        fv.putInt(section + 4 + 0x98 + 16, 0x123);
        assertEquals(Optional.empty(), new PeImageLocator(m.board().memory).find(0x10200).orElseThrow().name());
    }

    @Test
    void anAddressPastTheNearestImageIsInNoImage() {
        Machine m = machine(TestGuest.code(PAUSE_LOOP), new ByteArrayOutputStream());
        placePeImage(m.board().memory.ram(), 0x10000, "A.efi", 0x1000);
        PeImageLocator locator = new PeImageLocator(m.board().memory);
        assertEquals(Optional.of(new PeImage(0x10000, 0x1000, Optional.of("A.efi"))), locator.find(0x10FFF));
        assertFalse(locator.find(0x11000).isPresent());
        assertFalse(locator.find(0xFFFF).isPresent());
    }
}
