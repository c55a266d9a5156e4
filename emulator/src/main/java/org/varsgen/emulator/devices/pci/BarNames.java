package org.varsgen.emulator.devices.pci;

/** Implemented by a function whose BAR regions carry QEMU names other than the function's own. */
public interface BarNames {
    String barName(int index);
}
