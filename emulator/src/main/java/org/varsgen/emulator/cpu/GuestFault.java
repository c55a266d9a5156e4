package org.varsgen.emulator.cpu;

/**
 * A guest exception raised while executing an instruction (#UD, #GP, #PF, ...). It unwinds the
 * interpreter to the run loop, which delivers it to the guest. Stackless: faults are ordinary
 * guest events (page faults on demand paging, probes with #GP), not Java errors.
 */
public final class GuestFault extends RuntimeException {
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8;
    public static final int TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19;

    public final int vector;
    /** The error code, or -1 when the exception has none. */
    public final int errorCode;

    public GuestFault(int vector, int errorCode) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
    }

    public static GuestFault ud() {
        return new GuestFault(UD, -1);
    }

    public static GuestFault gp(int errorCode) {
        return new GuestFault(GP, errorCode);
    }

    @Override
    public String getMessage() {
        return "guest exception " + vector + (errorCode >= 0 ? " error code " + Integer.toHexString(errorCode) : "");
    }
}
