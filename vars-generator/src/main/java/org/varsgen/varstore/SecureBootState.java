package org.varsgen.varstore;

/**
 * The Secure Boot state a store gives the firmware: user mode when a PK is enrolled, setup mode
 * otherwise; plus the EDK II SecureBootEnable and CustomMode bytes (null when absent).
 */
public record SecureBootState(boolean pkEnrolled, Integer secureBootEnable, Integer customMode) {

    public static SecureBootState of(VarStore store) {
        boolean pk = store.find(KnownGuids.EFI_GLOBAL_VARIABLE, "PK").map(r -> r.data().length > 0).orElse(false);
        return new SecureBootState(pk, firstByte(store, KnownGuids.SECURE_BOOT_ENABLE, "SecureBootEnable"),
                firstByte(store, KnownGuids.CUSTOM_MODE, "CustomMode"));
    }

    private static Integer firstByte(VarStore store, Guid guid, String name) {
        return store.find(guid, name).filter(r -> r.data().length > 0).map(r -> r.data()[0] & 0xFF).orElse(null);
    }

    public boolean setupMode() {
        return !pkEnrolled;
    }

    /** "on", "off", "absent", or the odd value. */
    public static String onOff(Integer value) {
        if (value == null) {
            return "absent";
        }
        return switch (value) {
            case 0 -> "off";
            case 1 -> "on";
            default -> String.format("0x%02x", value);
        };
    }

    /** "user mode (PK enrolled), SecureBootEnable on, CustomMode off". */
    public String describe() {
        return (pkEnrolled ? "user mode (PK enrolled)" : "setup mode (no PK)")
                + ", SecureBootEnable " + onOff(secureBootEnable) + ", CustomMode " + onOff(customMode);
    }
}
