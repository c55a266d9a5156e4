package org.varsgen.emulator.cpu;

/**
 * The local APIC registers that the processor reaches without the bus: IA32_APIC_BASE (MSR 0x1B)
 * and CR8 (the task-priority class). Without one (CPU tests), the CPU keeps both itself.
 */
public interface LocalApicRegisters {
    long readApicBaseMsr();

    /** Called after the CPU has checked the value's reserved bits. */
    void writeApicBaseMsr(long value);

    /** MOV from CR8: TPR bits 7:4. */
    int cr8();

    /** MOV to CR8 (bits 3:0, already checked). */
    void writeCr8(long value);
}
