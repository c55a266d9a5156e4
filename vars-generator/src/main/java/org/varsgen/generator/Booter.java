package org.varsgen.generator;

/**
 * Boots the firmware for one job and returns the variable store it left behind. The board side
 * implements this (q35 machine, pflash, AHCI disk, SMBIOS, COM1); the generator only prepares the
 * request and judges the result. Implementations report their own failures (fault, hang, limits)
 * as a {@link BootResult} outcome rather than by throwing, so that the job can add the console's
 * view to the message.
 */
public interface Booter {
    BootResult boot(BootRequest request);
}
