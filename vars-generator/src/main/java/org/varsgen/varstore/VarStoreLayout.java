package org.varsgen.varstore;

/**
 * The geometry of an empty NV-data volume as edk2 platforms lay it out: volume length and block
 * size, the variable store's size (from its header to its end), the erased area between the store
 * and the FTW working block, and the working block's WriteQueueSize; the spare area is the rest.
 */
public record VarStoreLayout(String name, long volumeLength, long blockSize, long volumeAttributes, long storeSize,
                             long gapLength, long writeQueueSize) {
    /** OvmfPkg with FD_SIZE_4MB (OVMF_VARS_4M.fd, 540,672 bytes). */
    public static final VarStoreLayout OVMF_4M = new VarStoreLayout("OVMF 4M", 0x84000, 0x1000, 0x0004FEFF,
            0x3FFB8, 0x1000, 0xFE0);
    /** OvmfPkg with FD_SIZE_2MB (OVMF_VARS.fd, 131,072 bytes). */
    public static final VarStoreLayout OVMF_2M = new VarStoreLayout("OVMF 2M", 0x20000, 0x1000, 0x0004FEFF,
            0xDFB8, 0x1000, 0xFE0);
    /** ArmVirtPkg's QEMU_VARS.fd (before padding to the flash size). */
    public static final VarStoreLayout ARMVIRT = new VarStoreLayout("ArmVirt QEMU", 0xC0000, 0x40000, 0x0004FEFF,
            0x3FFB8, 0, 0x3FFE0);
}
