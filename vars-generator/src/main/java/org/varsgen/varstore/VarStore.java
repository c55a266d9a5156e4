package org.varsgen.varstore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An edk2 flash variable store: the NV-data firmware volume (header, authenticated variable
 * store, records, free space, the area up to the FTW working block, the working block and the
 * spare area) and whatever the file holds before and after the volume (the firmware code in a
 * combined image). Every byte the parser saw is kept, in fields or raw, so that
 * {@link VarStoreWriter} reproduces the file exactly. Immutable: changes return a new store.
 */
public final class VarStore {
    private final byte[] prefix;
    private final FirmwareVolumeHeader volume;
    private final VariableStoreHeader storeHeader;
    private final byte[] headerPadding;
    private final List<VariableRecord> records;
    private final byte[] freeSpace;
    private final byte[] gap;
    private final FtwWorkingBlock workingBlock;
    private final byte[] spare;
    private final byte[] suffix;

    /**
     * @param headerPadding bytes between the store header and the first record (4-byte alignment)
     * @param freeSpace     bytes after the last record up to the end of the variable store
     * @param gap           bytes between the store's end and the FTW working block (OVMF's event-log area)
     * @param spare         bytes after the working block up to the end of the volume (the FTW spare area)
     */
    public VarStore(byte[] prefix, FirmwareVolumeHeader volume, VariableStoreHeader storeHeader, byte[] headerPadding,
                    List<VariableRecord> records, byte[] freeSpace, byte[] gap, FtwWorkingBlock workingBlock,
                    byte[] spare, byte[] suffix) {
        this.prefix = prefix;
        this.volume = volume;
        this.storeHeader = storeHeader;
        this.headerPadding = headerPadding;
        this.records = List.copyOf(records);
        this.freeSpace = freeSpace;
        this.gap = gap;
        this.workingBlock = workingBlock;
        this.spare = spare;
        this.suffix = suffix;
    }

    /**
     * A freshly formatted, empty store of the given layout, as edk2's build writes the VARS
     * template: zero vector, NV-data volume header with one block-map run, authenticated store
     * header (formatted, healthy), everything else erased (0xFF) except the FTW working block
     * header (state valid).
     */
    public static VarStore blank(VarStoreLayout layout) {
        FirmwareVolumeHeader fv = new FirmwareVolumeHeader(new byte[16], FirmwareVolumeHeader.NV_DATA,
                layout.volumeLength(), layout.volumeAttributes(), FirmwareVolumeHeader.FIXED_SIZE + 16, 0, 0, 0, 2,
                List.of(new BlockMapEntry(layout.volumeLength() / layout.blockSize(), layout.blockSize())),
                new byte[0]);
        VariableStoreHeader sh = new VariableStoreHeader(VariableStoreHeader.AUTHENTICATED, layout.storeSize(),
                VariableStoreHeader.FORMATTED, VariableStoreHeader.HEALTHY, new byte[6]);
        long first = (fv.headerLength() + VariableStoreHeader.SIZE + 3) & ~3L;
        long storeEnd = fv.headerLength() + layout.storeSize();
        long ftwOff = storeEnd + layout.gapLength();
        FtwWorkingBlock ftw = new FtwWorkingBlock(FtwWorkingBlock.SIGNATURE, 0, 0xFE, erased(3),
                layout.writeQueueSize(), erased(layout.writeQueueSize()));
        return new VarStore(new byte[0], fv, sh, erased(first - fv.headerLength() - VariableStoreHeader.SIZE),
                List.of(), erased(storeEnd - first), erased(layout.gapLength()), ftw,
                erased(layout.volumeLength() - ftwOff - ftw.length()), new byte[0]);
    }

    private static byte[] erased(long n) {
        byte[] b = new byte[Math.toIntExact(n)];
        Arrays.fill(b, (byte) 0xFF);
        return b;
    }

    public FirmwareVolumeHeader volume() {
        return volume;
    }

    public VariableStoreHeader storeHeader() {
        return storeHeader;
    }

    public FtwWorkingBlock workingBlock() {
        return workingBlock;
    }

    /** Every record in store order, live or not. */
    public List<VariableRecord> records() {
        return records;
    }

    byte[] prefix() {
        return prefix;
    }

    byte[] headerPadding() {
        return headerPadding;
    }

    byte[] freeSpace() {
        return freeSpace;
    }

    byte[] gap() {
        return gap;
    }

    byte[] spare() {
        return spare;
    }

    byte[] suffix() {
        return suffix;
    }

    /** File offset of the NV-data volume (0 for a plain VARS file). */
    public long volumeOffset() {
        return prefix.length;
    }

    public long storeHeaderOffset() {
        return volumeOffset() + volume.headerLength();
    }

    public long storeEnd() {
        return storeHeaderOffset() + storeHeader.size();
    }

    public long workingBlockOffset() {
        return storeEnd() + gap.length;
    }

    public long spareOffset() {
        return workingBlockOffset() + workingBlock.length();
    }

    public long spareLength() {
        return spare.length;
    }

    public long freeSpaceLength() {
        return freeSpace.length;
    }

    public long fileLength() {
        return prefix.length + volume.length() + suffix.length;
    }

    public static boolean isErased(byte[] b) {
        for (byte x : b) {
            if (x != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    public boolean freeSpaceErased() {
        return isErased(freeSpace);
    }

    public boolean spareErased() {
        return isErased(spare);
    }

    /**
     * The live variables in store order. Per (vendor GUID, name) the firmware uses the first
     * added (0x3F) record, or, when there is none, the last record in deletion (0x3E): the newer
     * copy was never completed, so the old one still counts.
     */
    public List<VariableRecord> variables() {
        boolean[] live = liveMask();
        List<VariableRecord> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (live[i]) {
                out.add(records.get(i));
            }
        }
        return out;
    }

    /** The records that are not live (deleted, superseded, half written), in store order. */
    public List<VariableRecord> inactiveRecords() {
        boolean[] live = liveMask();
        List<VariableRecord> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (!live[i]) {
                out.add(records.get(i));
            }
        }
        return out;
    }

    private boolean[] liveMask() {
        Map<VariableKey, Integer> chosen = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            VariableRecord r = records.get(i);
            RecordState s = r.recordState();
            if (s != RecordState.ADDED && s != RecordState.IN_DELETION) {
                continue;
            }
            Integer prev = chosen.get(r.key());
            boolean prevAdded = prev != null && records.get(prev).recordState() == RecordState.ADDED;
            if (!prevAdded) {
                chosen.put(r.key(), i);
            }
        }
        boolean[] live = new boolean[records.size()];
        chosen.values().forEach(i -> live[i] = true);
        return live;
    }

    public Optional<VariableRecord> find(Guid vendor, String name) {
        VariableKey key = new VariableKey(vendor, name);
        return variables().stream().filter(r -> r.key().equals(key)).findFirst();
    }

    /**
     * The store after the firmware's way of setting a variable: the live copy (if any) is marked
     * deleted and a new added record is appended in the free space. The monotonic count and the
     * public-key index of the new record are zero, as edk2 writes them for time-based variables.
     */
    public VarStore withVariable(Guid vendor, String name, long attributes, EfiTime time, byte[] data)
            throws VarStoreException {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new VarStoreException("variable name must be non-empty and contain no NUL");
        }
        VariableKey key = new VariableKey(vendor, name);
        List<VariableRecord> live = variables();
        List<VariableRecord> next = new ArrayList<>(records.size() + 1);
        for (VariableRecord r : records) {
            next.add(live.contains(r) && r.key().equals(key) ? r.withState(RecordState.DELETED_BYTE) : r);
        }
        long start = storeEnd() - freeSpace.length;
        VariableRecord added = new VariableRecord(start, RecordState.ADDED_BYTE, 0, attributes, 0,
                time == null ? EfiTime.zero() : time, 0, name, vendor, data.clone(), new byte[0]);
        long unpadded = added.unpaddedLength();
        int pad = (int) ((4 - unpadded % 4) % 4);
        if (unpadded + pad > freeSpace.length) {
            throw new VarStoreException("variable store full: " + name + " needs 0x" + Long.toHexString(unpadded + pad)
                    + " bytes, 0x" + Integer.toHexString(freeSpace.length) + " are free");
        }
        byte[] padding = new byte[pad];
        Arrays.fill(padding, (byte) 0xFF);
        next.add(new VariableRecord(start, RecordState.ADDED_BYTE, 0, attributes, 0, added.time(), 0, name, vendor,
                added.data(), padding));
        byte[] free = Arrays.copyOfRange(freeSpace, (int) (unpadded + pad), freeSpace.length);
        return new VarStore(prefix, volume, storeHeader, headerPadding, next, free, gap, workingBlock, spare, suffix);
    }

    /** The store with only its live records, packed from the start, the rest erased (0xFF). */
    public VarStore compacted() {
        List<VariableRecord> live = variables();
        long used = 0;
        List<VariableRecord> packed = new ArrayList<>(live.size());
        long start = storeEnd() - freeSpace.length - records.stream().mapToLong(VariableRecord::length).sum();
        for (VariableRecord r : live) {
            VariableRecord moved = new VariableRecord(start + used, r.state(), r.reserved(), r.attributes(),
                    r.monotonicCount(), r.time(), r.pubKeyIndex(), r.name(), r.vendor(), r.data(), r.padding());
            packed.add(moved);
            used += moved.length();
        }
        long total = records.stream().mapToLong(VariableRecord::length).sum() + freeSpace.length;
        byte[] free = new byte[(int) (total - used)];
        Arrays.fill(free, (byte) 0xFF);
        return new VarStore(prefix, volume, storeHeader, headerPadding, packed, free, gap, workingBlock, spare, suffix);
    }
}
