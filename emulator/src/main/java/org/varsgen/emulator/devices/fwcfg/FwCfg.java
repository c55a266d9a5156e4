package org.varsgen.emulator.devices.fwcfg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * QEMU's firmware configuration device as the x86 machines present it: the port interface
 * (selector at 0x510, data at 0x511, one 2-byte region) and the DMA interface (0x514, 8 bytes).
 *
 * <p>Behaviour follows QEMU 7.2's hw/nvram/fw_cfg.c: selecting a key resets the item offset and
 * runs the item's select callback; reads past an item's end (or of a key that has no item)
 * give zeros, by PIO and by DMA; writes through the data port are ignored; only DMA writes,
 * and only to writable items and entirely inside them, change an item. Files live at selectors
 * 0x20 upwards in the order of their names, as QEMU sorts them; key 0x19 is the directory.
 */
public final class FwCfg {
    public static final int SIGNATURE = 0x00, ID = 0x01, UUID = 0x02, RAM_SIZE = 0x03, NOGRAPHIC = 0x04;
    public static final int NB_CPUS = 0x05, NUMA = 0x0D, BOOT_MENU = 0x0E, MAX_CPUS = 0x0F;
    public static final int FILE_DIR = 0x19, FILE_FIRST = 0x20;
    public static final int ARCH_LOCAL = 0x8000;
    public static final int IRQ0_OVERRIDE = ARCH_LOCAL | 2, E820_TABLE = ARCH_LOCAL | 3, HPET = ARCH_LOCAL | 4;
    /** QEMU's default number of file slots: keys beyond FILE_FIRST + slots are invalid. */
    public static final int FILE_SLOTS = 0x20;
    /** Interface id bits: the traditional interface and DMA. */
    public static final int ID_TRADITIONAL = 1, ID_DMA = 2;

    public static final int DMA_CTL_ERROR = 1, DMA_CTL_READ = 2, DMA_CTL_SKIP = 4, DMA_CTL_SELECT = 8,
            DMA_CTL_WRITE = 16;
    /** What a read of the DMA register returns: "QEMU CFG", big-endian. */
    public static final long DMA_SIGNATURE = 0x51454d5520434647L;

    /** The port region (0x510-0x511): 1-byte data reads, 2-byte selector writes, as QEMU's comb ops. */
    public static final AccessConstraints PORT_CONSTRAINTS = AccessConstraints.of(1, 2, 1, 2);
    /** The DMA region (0x514-0x51b): QEMU accepts 4-byte writes at 0 or 4, 8-byte writes at 0, any read. */
    public static final AccessConstraints DMA_CONSTRAINTS = AccessConstraints.of(1, 8, 1, 8);

    private static final int KEY_MASK = 0x3FFF;

    private final PhysicalMemory dmaMemory;
    private final Map<Integer, FwCfgItem> items = new TreeMap<>();
    private final TreeMap<String, FwCfgItem> files = new TreeMap<>();
    private List<FwCfgItem> fileList = List.of();
    private FwCfgItem directoryItem;
    private FwCfgItem currentItem;
    private int offset;
    private long dmaAddress;

    /** @param dmaMemory the address space DMA reads and writes (attributes 0). */
    public FwCfg(PhysicalMemory dmaMemory) {
        this.dmaMemory = dmaMemory;
        addItem(SIGNATURE, "QEMU".getBytes(StandardCharsets.US_ASCII));
        addItem(ID, le32(ID_TRADITIONAL | ID_DMA));
    }

    /** Adds or replaces legacy item {@code key} (below 0x20, or 0x8000 | n for x86 items). */
    public void addItem(int key, byte[] data) {
        if ((key & KEY_MASK) >= FILE_FIRST || key == FILE_DIR) {
            throw new IllegalArgumentException("not a legacy fw_cfg key: 0x" + Integer.toHexString(key));
        }
        items.put(key, FwCfgItem.readOnly(data));
    }

    /** Adds a file; selectors follow the sorted names, so add every file before the guest runs. */
    public void addFile(String name, FwCfgItem item) {
        byte[] encoded = name.getBytes(StandardCharsets.US_ASCII);
        if (encoded.length == 0 || encoded.length > 55) {
            throw new IllegalArgumentException("fw_cfg file name must have 1 to 55 characters: " + name);
        }
        if (files.size() == FILE_SLOTS && !files.containsKey(name)) {
            throw new IllegalStateException("fw_cfg has no free file slot for " + name);
        }
        files.put(name, item);
        fileList = List.copyOf(files.values());
        directoryItem = null;
    }

    public void addFile(String name, byte[] data) {
        addFile(name, FwCfgItem.readOnly(data));
    }

    /** The selector of file {@code name}, or -1. */
    public int selectorOf(String name) {
        int index = fileNames().indexOf(name);
        return index < 0 ? -1 : FILE_FIRST + index;
    }

    /** The names of the files in selector order. */
    public List<String> fileNames() {
        return Collections.unmodifiableList(new ArrayList<>(files.keySet()));
    }

    /** The item for file {@code name}, or null. */
    public FwCfgItem file(String name) {
        return files.get(name);
    }

    /** The directory item: a big-endian count, then per file size (BE32), select (BE16), 2 reserved, 56-byte name. */
    public byte[] directory() {
        byte[] dir = new byte[4 + 64 * files.size()];
        putBe32(dir, 0, files.size());
        int at = 4;
        int select = FILE_FIRST;
        for (Map.Entry<String, FwCfgItem> e : files.entrySet()) {
            putBe32(dir, at, e.getValue().length());
            dir[at + 4] = (byte) (select >> 8);
            dir[at + 5] = (byte) select;
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, dir, at + 8, name.length);
            at += 64;
            select++;
        }
        return dir;
    }

    /** The handler for the port region at 0x510 (2 bytes). */
    public RegionHandler portHandler() {
        return new RegionHandler() {
            @Override
            public long read(long at, int size) {
                // QEMU rejects wider reads; a rejected access to an existing region reads 0
                // (unlike an unassigned port) and does not move the offset.
                return size == 1 ? readDataByte() : 0;
            }

            @Override
            public void write(long at, int size, long value) {
                if (size == 2) {
                    select((int) value & 0xFFFF);
                }
                // 1-byte writes to the data port have been ignored since QEMU 2.4.
            }
        };
    }

    /** The handler for the DMA address region at 0x514 (8 bytes, big-endian). */
    public RegionHandler dmaHandler() {
        return new RegionHandler() {
            @Override
            public long read(long at, int size) {
                long v = 0;
                for (int i = 0; i < size && at + i < 8; i++) {
                    long b = (DMA_SIGNATURE >>> (8 * (7 - (at + i)))) & 0xFF;
                    v |= b << (8 * i);
                }
                return v;
            }

            @Override
            public void write(long at, int size, long value) {
                // The bus hands over the little-endian port value; the register is big-endian.
                if (size == 4 && at == 0) {
                    dmaAddress = (Integer.reverseBytes((int) value) & 0xFFFFFFFFL) << 32;
                } else if (size == 4 && at == 4) {
                    dmaAddress |= Integer.reverseBytes((int) value) & 0xFFFFFFFFL;
                    dmaTransfer();
                } else if (size == 8 && at == 0) {
                    dmaAddress = Long.reverseBytes(value);
                    dmaTransfer();
                }
            }
        };
    }

    /** Selects {@code key} as a selector write does. */
    public void select(int key) {
        offset = 0;
        if ((key & KEY_MASK) >= FILE_FIRST + FILE_SLOTS) {
            currentItem = null;
            return;
        }
        currentItem = item(key);
        if (currentItem != null) {
            currentItem.selected();
        }
    }

    /** One byte through the data port. */
    public int readDataByte() {
        FwCfgItem item = currentItem;
        if (item == null || offset >= item.length()) {
            return 0;
        }
        return item.data()[offset++] & 0xFF;
    }

    private FwCfgItem item(int key) {
        int k = key & ~0x4000; // the historical write-channel bit does not change the item
        if (k == FILE_DIR) {
            if (directoryItem == null) {
                directoryItem = FwCfgItem.readOnly(directory());
            }
            return directoryItem;
        }
        if ((k & KEY_MASK) >= FILE_FIRST) {
            int index = (k & KEY_MASK) - FILE_FIRST;
            return (k & ARCH_LOCAL) != 0 || index >= fileList.size() ? null : fileList.get(index);
        }
        return items.get(k);
    }

    /** Runs the DMA descriptor at {@link #dmaAddress}: control, length, address, all big-endian. */
    private void dmaTransfer() {
        long descriptor = dmaAddress;
        dmaAddress = 0;
        int control = readBe32(descriptor);
        long length = readBe32(descriptor + 4) & 0xFFFFFFFFL;
        long address = ((readBe32(descriptor + 8) & 0xFFFFFFFFL) << 32) | (readBe32(descriptor + 12) & 0xFFFFFFFFL);

        if ((control & DMA_CTL_SELECT) != 0) {
            select(control >>> 16);
        }
        boolean read = false, write = false;
        if ((control & DMA_CTL_READ) != 0) {
            read = true;
        } else if ((control & DMA_CTL_WRITE) != 0) {
            write = true;
        } else if ((control & DMA_CTL_SKIP) == 0) {
            length = 0;
        }
        FwCfgItem item = currentItem;
        int result = 0;
        while (length > 0 && (result & DMA_CTL_ERROR) == 0) {
            int chunk;
            if (item == null || offset >= item.length()) {
                chunk = (int) Math.min(length, Integer.MAX_VALUE);
                if (read) {
                    for (int i = 0; i < chunk; i++) {
                        dmaMemory.write(address + i, 1, 0, 0);
                    }
                }
                if (write) {
                    result |= DMA_CTL_ERROR;
                }
            } else {
                chunk = (int) Math.min(length, item.length() - offset);
                if (read) {
                    for (int i = 0; i < chunk; i++) {
                        dmaMemory.write(address + i, 1, item.data()[offset + i] & 0xFF, 0);
                    }
                }
                if (write) {
                    if (!item.writable() || chunk != length) {
                        result |= DMA_CTL_ERROR;
                    } else {
                        for (int i = 0; i < chunk; i++) {
                            item.data()[offset + i] = (byte) dmaMemory.read(address + i, 1, 0);
                        }
                    }
                }
                offset += chunk;
            }
            address += chunk;
            length -= chunk;
        }
        writeBe32(descriptor, result);
    }

    // Byte by byte: the descriptor need not be aligned, and PhysicalMemory accesses must not cross a page.
    private int readBe32(long address) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (int) (dmaMemory.read(address + i, 1, 0) & 0xFF);
        }
        return v;
    }

    private void writeBe32(long address, int value) {
        for (int i = 0; i < 4; i++) {
            dmaMemory.write(address + i, 1, (value >>> (24 - 8 * i)) & 0xFF, 0);
        }
    }

    static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    private static void putBe32(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }
}
