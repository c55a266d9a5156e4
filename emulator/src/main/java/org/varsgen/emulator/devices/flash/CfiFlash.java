package org.varsgen.emulator.devices.flash;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.bus.RomDevice;

/**
 * A CFI parallel flash with the Intel/Sharp command set, as QEMU 7.2's pflash_cfi01 behaves
 * for the PC machines: one byte wide, device width unset (QEMU's legacy query behaviour),
 * 4 KiB sectors, manufacturer and device id 0, little-endian.
 *
 * <p>In read-array mode the flash reads as memory. The first command write leaves that mode
 * (QEMU turns ROMD off); reads then show the status register, the CFI query table or the ids,
 * depending on the command. Programming and erasing complete at once (status bit 7, ready, is
 * set); on a read-only device they fail with status bit 4 (program error) or 5 (erase error)
 * and leave the contents alone. Unknown command sequences return to read-array mode. In secure
 * mode, accesses that are not from SMM cannot write at all and always read the array.
 *
 * <p>The device works on its own copy of the image; {@link #contents()} hands back the result.
 */
public final class CfiFlash implements RomDevice {
    public static final int SECTOR_SIZE = 4096;
    public static final int STATUS_READY = 0x80, STATUS_ERASE_ERROR = 0x20, STATUS_PROGRAM_ERROR = 0x10;
    /** Commands the firmware uses (OvmfPkg/QemuFlashFvbServicesRuntimeDxe/QemuFlash.h). */
    public static final int CMD_PROGRAM = 0x10, CMD_PROGRAM_ALT = 0x40, CMD_BLOCK_ERASE = 0x20,
            CMD_CONFIRM = 0xD0, CMD_CLEAR_STATUS = 0x50, CMD_READ_STATUS = 0x70, CMD_READ_ID = 0x90,
            CMD_CFI_QUERY = 0x98, CMD_READ_ARRAY = 0xFF, CMD_WRITE_BUFFER = 0xE8, CMD_LOCK = 0x60;

    /**
     * QEMU's ops declare no access sizes, so the memory core's defaults apply: up to 4 bytes per
     * handler call; wider CPU accesses are split. Unaligned accesses are allowed, as the array
     * reads like RAM.
     */
    public static final AccessConstraints CONSTRAINTS = new AccessConstraints(1, 8, true, 1, 4, true);

    private static final int CFI_TABLE_SIZE = 0x52;
    private static final int READ_ARRAY = 0x00; // QEMU's internal state for read-array mode

    private final String name;
    private final byte[] storage;
    private final boolean readOnly;
    private final boolean secure;
    private final byte[] cfiTable = new byte[CFI_TABLE_SIZE];
    private int cmd = READ_ARRAY;
    private int wcycle;
    private int status = STATUS_READY;
    private boolean romMode = true;
    private int counter;
    private Runnable romListener = () -> { };

    /**
     * @param name     what error messages call the image (its file name)
     * @param image    the initial contents; copied, never written
     * @param readOnly true for the code device (QEMU readonly=on)
     * @param secure   QEMU's "secure" property: only SMM may write
     */
    public CfiFlash(String name, byte[] image, boolean readOnly, boolean secure) {
        if (image.length == 0 || image.length % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException(name + ": a flash image must be a non-empty multiple of "
                    + SECTOR_SIZE + " bytes, but has " + image.length);
        }
        this.name = name;
        this.storage = image.clone();
        this.readOnly = readOnly;
        this.secure = secure;
        fillCfiTable(image.length / SECTOR_SIZE);
    }

    public String name() {
        return name;
    }

    public int size() {
        return storage.length;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** A copy of the current contents (for the vars device: the store to hand to the caller). */
    public byte[] contents() {
        return storage.clone();
    }

    @Override
    public boolean romMode() {
        return romMode;
    }

    @Override
    public byte[] romContents() {
        return storage;
    }

    @Override
    public void setRomListener(Runnable listener) {
        this.romListener = listener;
    }

    /** Machine reset: read-array mode, status ready. */
    public void reset() {
        cmd = READ_ARRAY;
        wcycle = 0;
        status = STATUS_READY;
        setRomMode(true);
    }

    @Override
    public long read(long offset, int size, int attrs) {
        if (secure && (attrs & PhysicalMemory.ATTR_SMM) == 0) {
            return dataRead((int) offset, size);
        }
        switch (cmd) {
            case READ_ARRAY:
                return dataRead((int) offset, size);
            case CMD_PROGRAM, CMD_BLOCK_ERASE, 0x28, CMD_PROGRAM_ALT, CMD_CLEAR_STATUS, CMD_LOCK,
                    CMD_READ_STATUS, CMD_WRITE_BUFFER:
                // One byte-wide device: the status repeats in the upper half of 4-byte reads.
                return size > 2 ? status | (long) status << 16 : status;
            case CMD_READ_ID:
                return 0; // QEMU's PC flash has manufacturer and device id 0
            case CMD_CFI_QUERY: {
                int boff = (int) offset & 0xFF;
                return boff < CFI_TABLE_SIZE ? cfiTable[boff] & 0xFF : 0;
            }
            default:
                wcycle = 0;
                cmd = READ_ARRAY;
                return dataRead((int) offset, size);
        }
    }

    @Override
    public void write(long offset, int size, long value, int attrs) {
        if (secure && (attrs & PhysicalMemory.ATTR_SMM) == 0) {
            return; // QEMU answers MEMTX_ERROR, which x86 CPUs ignore
        }
        int at = (int) offset;
        int command = (int) value & 0xFF;
        if (wcycle == 0) {
            setRomMode(false);
        }
        switch (wcycle) {
            case 0 -> firstCycle(at, command);
            case 1 -> secondCycle(at, size, value, command);
            case 2 -> bufferData(at, size, value);
            case 3 -> {
                if (cmd == CMD_WRITE_BUFFER && command == CMD_CONFIRM) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else {
                    readArray();
                }
            }
            default -> readArray();
        }
    }

    private void firstCycle(int at, int command) {
        switch (command) {
            case 0x00, 0xF0, CMD_READ_ARRAY -> readArray();
            case CMD_PROGRAM, CMD_PROGRAM_ALT, CMD_LOCK, CMD_CFI_QUERY -> next(command);
            case CMD_BLOCK_ERASE -> {
                // QEMU erases on the setup command already; the confirm only ends the sequence.
                int sector = at & ~(SECTOR_SIZE - 1);
                if (!readOnly) {
                    java.util.Arrays.fill(storage, sector, sector + SECTOR_SIZE, (byte) 0xFF);
                } else {
                    status |= STATUS_ERASE_ERROR;
                }
                status |= STATUS_READY;
                next(command);
            }
            case CMD_CLEAR_STATUS -> {
                status = 0;
                readArray();
            }
            case CMD_READ_STATUS, CMD_READ_ID -> cmd = command;
            case CMD_WRITE_BUFFER -> {
                status |= STATUS_READY;
                next(command);
            }
            default -> readArray();
        }
    }

    private void secondCycle(int at, int size, long value, int command) {
        switch (cmd) {
            case CMD_PROGRAM, CMD_PROGRAM_ALT -> {
                if (!readOnly) {
                    dataWrite(at, size, value);
                } else {
                    status |= STATUS_PROGRAM_ERROR;
                }
                status |= STATUS_READY;
                wcycle = 0;
            }
            case CMD_BLOCK_ERASE, 0x28 -> {
                if (command == CMD_CONFIRM) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else {
                    readArray();
                }
            }
            case CMD_WRITE_BUFFER -> {
                counter = command; // bank width 1: the count is one byte
                wcycle++;
            }
            case CMD_LOCK -> {
                if (command == CMD_CONFIRM || command == 0x01) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else {
                    readArray();
                }
            }
            case CMD_CFI_QUERY -> {
                if (command == CMD_READ_ARRAY) {
                    readArray();
                } // any other write leaves query mode as it is, as in QEMU
            }
            default -> readArray();
        }
    }

    /** Write-to-buffer data cycles (QEMU 7.2 writes them straight to the array). */
    private void bufferData(int at, int size, long value) {
        if (cmd != CMD_WRITE_BUFFER) {
            readArray();
            return;
        }
        if (!readOnly) {
            dataWrite(at, size, value);
        } else {
            status |= STATUS_PROGRAM_ERROR;
        }
        status |= STATUS_READY;
        if (counter == 0) {
            wcycle++;
        }
        counter--;
    }

    private void next(int command) {
        wcycle++;
        cmd = command;
    }

    private void readArray() {
        wcycle = 0;
        cmd = READ_ARRAY;
        setRomMode(true);
    }

    private void setRomMode(boolean on) {
        if (romMode != on) {
            romMode = on;
            romListener.run();
        }
    }

    private long dataRead(int at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (storage[at + i] & 0xFF);
        }
        return v;
    }

    private void dataWrite(int at, int size, long value) {
        for (int i = 0; i < size; i++) {
            storage[at + i] = (byte) (value >>> (8 * i));
        }
    }

    /** QEMU's CFI query table for a single 1-byte-wide device of {@code blocks} 4 KiB blocks. */
    private void fillCfiTable(int blocks) {
        byte[] t = cfiTable;
        t[0x10] = 'Q';
        t[0x11] = 'R';
        t[0x12] = 'Y';
        t[0x13] = 0x01;                 // primary command set: Intel/Sharp
        t[0x15] = 0x31;                 // primary extended table at 0x31
        t[0x1B] = 0x45;                 // Vcc min/max 4.5/5.5 V
        t[0x1C] = 0x55;
        t[0x1F] = 0x07;                 // typical timeouts: byte program, buffer write, block erase
        t[0x20] = 0x07;
        t[0x21] = 0x0A;
        t[0x23] = 0x04;                 // maximum timeouts
        t[0x24] = 0x04;
        t[0x25] = 0x04;
        // Device size as 2^n: QEMU stores the position of the lowest set bit of the length,
        // which is the size only for power-of-two devices (for OVMF's 0x84000 vars device: 14).
        t[0x27] = (byte) Integer.numberOfTrailingZeros(blocks * SECTOR_SIZE);
        t[0x28] = 0x02;                 // x8/x16 interface
        t[0x2A] = 0x08;                 // write buffer 2^8 bytes
        t[0x2C] = 0x01;                 // one erase block region
        t[0x2D] = (byte) (blocks - 1);
        t[0x2E] = (byte) ((blocks - 1) >> 8);
        t[0x2F] = (byte) (SECTOR_SIZE >> 8);
        t[0x30] = (byte) (SECTOR_SIZE >> 16);
        t[0x31] = 'P';
        t[0x32] = 'R';
        t[0x33] = 'I';
        t[0x34] = '1';
        t[0x35] = '0';
        t[0x3F] = 0x01;                 // one protection field
    }
}
