package org.varsgen.emulator.devices.flash;

/**
 * The two pflash devices of QEMU's PC machines, stacked downwards from 4 GiB as
 * hw/i386/pc_sysfw.c maps them: unit 0 (the code, read-only) ends at 4 GiB, unit 1 (the
 * variable store, writable) sits directly below it. Also the isa-bios view: QEMU 7.2 shows a
 * read-only copy, taken at startup, of the top 128 KiB of unit 0 at 0xE0000-0xFFFFF (the
 * chipset's PAM registers decide when RAM replaces it).
 */
public final class FirmwareFlash {
    public static final long FOUR_GIB = 1L << 32;
    public static final int ISA_BIOS_MAX = 128 * 1024;

    private final CfiFlash code;
    private final CfiFlash vars;

    /**
     * @param secure QEMU's pflash "secure" property (off on Debian's command line)
     */
    public FirmwareFlash(String codeName, byte[] codeImage, String varsName, byte[] varsImage, boolean secure) {
        this.code = new CfiFlash(codeName, codeImage, true, secure);
        this.vars = new CfiFlash(varsName, varsImage, false, secure);
        if ((long) codeImage.length + varsImage.length > 8L << 20) {
            throw new IllegalArgumentException(codeName + " and " + varsName
                    + ": together larger than the 8 MiB QEMU 7.2 allows for flash below 4 GiB");
        }
    }

    public CfiFlash code() {
        return code;
    }

    public CfiFlash vars() {
        return vars;
    }

    public long codeBase() {
        return FOUR_GIB - code.size();
    }

    public long varsBase() {
        return codeBase() - vars.size();
    }

    /** The isa-bios copy: the top min(128 KiB, code size) of unit 0, to map ending at 1 MiB. */
    public byte[] isaBiosCopy() {
        int n = Math.min(ISA_BIOS_MAX, code.size());
        byte[] c = code.contents();
        return java.util.Arrays.copyOfRange(c, c.length - n, c.length);
    }
}
