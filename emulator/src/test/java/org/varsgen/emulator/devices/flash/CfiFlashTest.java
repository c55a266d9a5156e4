package org.varsgen.emulator.devices.flash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.devices.QemuDeviceTrace;

class CfiFlashTest {
    private static byte[] image(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /** OvmfPkg's QemuFlashDetected: 0x50 keeps the array readable, 0x70 reads 0, program reads 0x80 or 0x90. */
    private static int probe(CfiFlash f, int offset) {
        int original = (int) f.read(offset, 1);
        f.write(offset, 1, CfiFlash.CMD_CLEAR_STATUS);
        assertTrue(f.romMode(), "after clear status the flash is in read-array mode again");
        assertEquals(original, f.read(offset, 1));
        f.write(offset, 1, CfiFlash.CMD_READ_STATUS);
        assertFalse(f.romMode());
        assertEquals(0, f.read(offset, 1));
        f.write(offset, 1, CfiFlash.CMD_PROGRAM);
        f.write(offset, 1, original);
        f.write(offset, 1, CfiFlash.CMD_READ_STATUS);
        int status = (int) f.read(offset, 1);
        f.write(offset, 1, CfiFlash.CMD_READ_ARRAY);
        assertTrue(f.romMode());
        return status;
    }

    @Test
    void detectionProbeSeesWritableVarsAndProtectedCode() {
        CfiFlash vars = new CfiFlash("VARS.fd", image(0x84000), false, false);
        CfiFlash code = new CfiFlash("CODE.fd", image(0x37C000), true, false);
        byte[] before = code.contents();
        assertEquals(0x80, probe(vars, 0x10));
        assertEquals(0x90, probe(code, 0x10));
        assertArrayEquals(before, code.contents());
    }

    @Test
    void programsBytesAndNeverTouchesTheInputImage() {
        byte[] template = image(8192);
        byte[] copy = template.clone();
        CfiFlash f = new CfiFlash("VARS.fd", template, false, false);
        f.write(0x123, 1, CfiFlash.CMD_PROGRAM);
        f.write(0x123, 1, 0x00);
        assertEquals(CfiFlash.STATUS_READY, f.read(0x123, 1), "after program, reads show status");
        assertEquals(CfiFlash.STATUS_READY | CfiFlash.STATUS_READY << 16, f.read(0x120, 4));
        f.write(0x123, 1, CfiFlash.CMD_READ_ARRAY);
        assertEquals(0, f.read(0x123, 1));
        assertEquals(0, f.contents()[0x123]);
        assertArrayEquals(copy, template);
    }

    @Test
    void blockEraseFillsTheSectorWithOnes() {
        CfiFlash f = new CfiFlash("VARS.fd", image(3 * 4096), false, false);
        f.write(0x1234, 1, CfiFlash.CMD_BLOCK_ERASE);
        f.write(0x1234, 1, CfiFlash.CMD_CONFIRM);
        f.write(0, 1, CfiFlash.CMD_READ_STATUS);
        assertEquals(0x80, f.read(0, 1));
        f.write(0, 1, CfiFlash.CMD_READ_ARRAY);
        byte[] c = f.contents();
        byte[] ones = new byte[4096];
        Arrays.fill(ones, (byte) 0xFF);
        assertArrayEquals(ones, Arrays.copyOfRange(c, 4096, 8192));
        assertEquals(image(3 * 4096)[4095], c[4095]);
        assertEquals(image(3 * 4096)[8192], c[8192]);
    }

    @Test
    void eraseOnTheReadOnlyDeviceReportsAnEraseError() {
        CfiFlash f = new CfiFlash("CODE.fd", image(4096), true, false);
        f.write(0, 1, CfiFlash.CMD_CLEAR_STATUS);
        f.write(0, 1, CfiFlash.CMD_BLOCK_ERASE);
        f.write(0, 1, CfiFlash.CMD_CONFIRM);
        assertEquals(0xA0, f.read(0, 1));
        assertArrayEquals(image(4096), f.contents());
    }

    @Test
    void unknownCommandReturnsToReadArray() {
        CfiFlash f = new CfiFlash("VARS.fd", image(4096), false, false);
        f.write(5, 1, 0x42);
        assertTrue(f.romMode());
        assertEquals(image(4096)[5] & 0xFF, f.read(5, 1));
        f.write(5, 1, CfiFlash.CMD_BLOCK_ERASE);
        f.write(5, 1, 0x42); // not a confirm: back to read-array (the sector was already erased, as in QEMU)
        assertTrue(f.romMode());
        assertEquals(0xFF, f.read(5, 1));
    }

    @Test
    void cfiQueryTableAsQemuBuildsIt() {
        CfiFlash f = new CfiFlash("VARS.fd", image(0x84000), false, false);
        f.write(0x55, 1, CfiFlash.CMD_CFI_QUERY);
        assertEquals('Q', f.read(0x10, 1));
        assertEquals('R', f.read(0x11, 1));
        assertEquals('Y', f.read(0x12, 1));
        assertEquals(1, f.read(0x13, 1));
        assertEquals(14, f.read(0x27, 1)); // QEMU: ctz(0x84000)
        assertEquals(0x83, f.read(0x2D, 1)); // 0x84 blocks - 1
        assertEquals(0, f.read(0x2E, 1));
        assertEquals(0x10, f.read(0x2F, 1)); // 4 KiB blocks, in units of 256 bytes
        assertEquals('P', f.read(0x31, 1));
        assertEquals(0, f.read(0x60, 1)); // beyond the table
        f.write(0, 1, 0x70); // anything but read-array stays in query mode
        assertEquals('Q', f.read(0x10, 1));
        f.write(0, 1, CfiFlash.CMD_READ_ARRAY);
        assertEquals(image(0x84000)[0x10] & 0xFF, f.read(0x10, 1));
    }

    @Test
    void readIdAnswersQemusZeroIds() {
        CfiFlash f = new CfiFlash("VARS.fd", image(4096), false, false);
        f.write(0, 1, CfiFlash.CMD_READ_ID);
        assertEquals(0, f.read(0, 1));
        assertEquals(0, f.read(1, 1));
    }

    @Test
    void secureModeLetsOnlySmmWrite() {
        CfiFlash f = new CfiFlash("VARS.fd", image(4096), false, true);
        f.write(8, 1, CfiFlash.CMD_PROGRAM, 0);
        f.write(8, 1, 0x00, 0);
        assertTrue(f.romMode(), "a non-SMM write does not even start a command");
        assertArrayEquals(image(4096), f.contents());
        f.write(8, 1, CfiFlash.CMD_PROGRAM, PhysicalMemory.ATTR_SMM);
        f.write(8, 1, 0x00, PhysicalMemory.ATTR_SMM);
        assertEquals(0x80, f.read(8, 1, PhysicalMemory.ATTR_SMM));
        assertEquals(0, f.read(8, 1, 0), "outside SMM the array is read whatever the mode");
        assertEquals(0, f.contents()[8]);
    }

    @Test
    void writeToBufferProgramsCountPlusOneUnits() {
        CfiFlash f = new CfiFlash("VARS.fd", image(4096), false, false);
        f.write(0x100, 1, CfiFlash.CMD_WRITE_BUFFER);
        f.write(0x100, 1, 2); // three bytes follow
        for (int i = 0; i < 3; i++) {
            f.write(0x100 + i, 1, 0xA0 + i);
        }
        f.write(0x100, 1, CfiFlash.CMD_CONFIRM);
        f.write(0x100, 1, CfiFlash.CMD_READ_ARRAY);
        assertEquals(0xA2A1A0, f.read(0x100, 4) & 0xFFFFFF);
    }

    @Test
    void rejectsImagesThatAreNotWholeSectors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CfiFlash("broken.fd", new byte[5000], false, false));
        assertTrue(e.getMessage().startsWith("broken.fd: "));
    }

    @Test
    void layoutEndsAtFourGib() {
        FirmwareFlash ff = new FirmwareFlash("CODE.fd", image(0x37C000), "VARS.fd", image(0x84000), false);
        assertEquals(0xFFC84000L, ff.codeBase());
        assertEquals(0xFFC00000L, ff.varsBase());
        byte[] isa = ff.isaBiosCopy();
        assertEquals(128 * 1024, isa.length);
        assertEquals(image(0x37C000)[0x37C000 - 16], isa[isa.length - 16]);
    }

    /**
     * Replays every flash access of QEMU's SMM run (probes, 12,712 byte programs of the variable
     * driver and EnrollDefaultKeys) onto Debian's empty store: every status read gets QEMU's
     * answer, and the final store equals the one QEMU wrote.
     */
    @Test
    void replayOfQemusRunGivesQemusStore() throws IOException {
        byte[] template = Files.readAllBytes(QemuDeviceTrace.fixture("debian-trixie/OVMF_VARS_4M.fd"));
        byte[] expected = Files.readAllBytes(QemuDeviceTrace.fixture("qemu-reference/OVMF_VARS_4M.ms.debug-smm-enroll.qemu.fd"));
        byte[] codeImage = Files.readAllBytes(QemuDeviceTrace.fixture("edk2-2025.02-debug/OVMF_CODE_4M.secboot.fd"));
        FirmwareFlash ff = new FirmwareFlash("CODE.fd", codeImage, "VARS.fd", template, false);
        List<QemuDeviceTrace.Access> trace = QemuDeviceTrace.accesses(
                "devtrace-2025.02-debug-smm-enroll.log.xz", "system.flash0", "system.flash1");
        assertEquals(25_558, trace.size());
        for (QemuDeviceTrace.Access a : trace) {
            boolean isCode = a.region().equals("system.flash0");
            CfiFlash f = isCode ? ff.code() : ff.vars();
            long offset = a.address() - (isCode ? ff.codeBase() : ff.varsBase());
            if (a.write()) {
                f.write(offset, a.size(), a.value(), PhysicalMemory.ATTR_SMM);
            } else {
                assertEquals(a.value(), f.read(offset, a.size(), PhysicalMemory.ATTR_SMM), a.toString());
            }
        }
        assertArrayEquals(expected, ff.vars().contents());
        assertArrayEquals(codeImage, ff.code().contents());
    }
}
