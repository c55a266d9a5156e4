package org.varsgen.emulator.board;

import java.util.Arrays;

/**
 * Tiny firmware images for board and run-loop tests: 128 KiB of code flash whose reset vector
 * jumps to hand-assembled 16-bit real-mode code at CS:0xF000 (linear 0xFFFFF000).
 */
public final class TestGuest {
    public static final int CODE_SIZE = 128 * 1024;
    public static final int CODE_IP = 0xF000;

    private TestGuest() {
    }

    /** A code image running {@code program} (real mode, at IP 0xF000) from the reset vector. */
    public static byte[] code(int... program) {
        byte[] image = new byte[CODE_SIZE];
        Arrays.fill(image, (byte) 0xF4);
        int at = CODE_SIZE - 0x10000 + CODE_IP;
        for (int b : program) {
            image[at++] = (byte) b;
        }
        // Reset vector at IP 0xFFF0: JMP rel16 to 0xF000 (next IP 0xFFF3).
        int resetVector = CODE_SIZE - 16;
        int disp = CODE_IP - 0xFFF3;
        image[resetVector] = (byte) 0xE9;
        image[resetVector + 1] = (byte) disp;
        image[resetVector + 2] = (byte) (disp >> 8);
        return image;
    }

    /** An erased 64 KiB vars flash. */
    public static byte[] vars() {
        byte[] v = new byte[64 * 1024];
        Arrays.fill(v, (byte) 0xFF);
        return v;
    }

    static BoardConfig config(byte[] code) {
        return BoardConfig.builder("test-code", code, "test-vars", vars()).build();
    }

    /** PMBASE 0x600 and ACPI enable through 0xCF8/0xCFC, then SLP_TYP 0 (S5) | SLP_EN into PM1 control, then spin. */
    public static final int[] POWER_OFF = {
        0x66, 0xB8, 0x40, 0xF8, 0x00, 0x80,   // mov eax, 0x8000F840 (00:1f.0 reg 0x40)
        0xBA, 0xF8, 0x0C,                     // mov dx, 0xCF8
        0x66, 0xEF,                           // out dx, eax
        0x66, 0xB8, 0x01, 0x06, 0x00, 0x00,   // mov eax, 0x601
        0xBA, 0xFC, 0x0C,                     // mov dx, 0xCFC
        0x66, 0xEF,                           // out dx, eax
        0x66, 0xB8, 0x44, 0xF8, 0x00, 0x80,   // mov eax, 0x8000F844
        0xBA, 0xF8, 0x0C,                     // mov dx, 0xCF8
        0x66, 0xEF,                           // out dx, eax
        0xB0, 0x80,                           // mov al, 0x80 (ACPI_EN)
        0xBA, 0xFC, 0x0C,                     // mov dx, 0xCFC
        0xEE,                                 // out dx, al
        0xB8, 0x00, 0x20,                     // mov ax, 0x2000 (SLP_EN, SLP_TYP 0)
        0xBA, 0x04, 0x06,                     // mov dx, 0x604
        0xEF,                                 // out dx, ax
        0xEB, 0xFE                            // jmp $
    };

    /** cli; hlt. */
    public static final int[] CLI_HLT = {0xFA, 0xF4};

    /** sti; hlt; jmp back to the hlt. */
    public static final int[] STI_HLT_LOOP = {0xFB, 0xF4, 0xEB, 0xFD};

    /** jmp $. */
    public static final int[] SPIN = {0xEB, 0xFE};

    /** Writes 6 (full reset) to 0xCF9, then spins. */
    public static final int[] RESET_VIA_CF9 = {0xB0, 0x06, 0xBA, 0xF9, 0x0C, 0xEE, 0xEB, 0xFE};

    /** Writes 'A' to COM1 and 'B' to the debug console, then powers off. */
    public static int[] outputThenPowerOff() {
        return concat(output("A", "B"), POWER_OFF);
    }

    /** Writes {@code com1} to COM1 and {@code debugcon} to port 0x402, one OUT per byte (6 instructions per byte). */
    public static int[] output(String com1, String debugcon) {
        int[] code = new int[6 * (com1.length() + debugcon.length())];
        int at = 0;
        for (String s : new String[] {com1, debugcon}) {
            int port = s == com1 ? 0x3F8 : 0x402;
            for (char c : s.toCharArray()) {
                int[] one = {0xB0, c, 0xBA, port & 0xFF, port >> 8, 0xEE};   // mov al,c; mov dx,port; out dx,al
                System.arraycopy(one, 0, code, at, 6);
                at += 6;
            }
        }
        return code;
    }

    public static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
