package org.varsgen.emulator.cpu;

import java.util.HashMap;
import java.util.Map;
import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * Decoded instructions per physical page and offset. A page enters the cache with its first
 * decoded instruction; from then on the MMU sends stores to that page through its slow path,
 * which calls {@link #codePageWritten} so the page's decodes are dropped (self-modifying code,
 * and code that is decompressed or relocated over old code). Instructions that cross a page
 * boundary are not cached. Everything is dropped when the bus routing changes.
 */
final class DecodeCache implements Mmu.CodePageListener {
    private final Map<Long, Insn[]> pages = new HashMap<>();
    private final Mmu mmu;
    private long lastPage = -1;
    private Insn[] lastArray;
    /**
     * A direct-mapped cache in front of the map: calls and returns between pages are frequent,
     * and DXE's code spans hundreds of pages (a map lookup boxes the key and hashes).
     */
    private static final int RECENT = 1024;
    private final long[] recentPage = new long[RECENT];
    private final Insn[][] recentArray = new Insn[RECENT][];

    {
        java.util.Arrays.fill(recentPage, -1);
    }

    DecodeCache(Mmu mmu) {
        this.mmu = mmu;
    }

    /** The cached decode at this physical address for this mode, or null. */
    Insn lookup(long phys, int mode) {
        Insn[] arr = array(phys & ~0xFFFL, false);
        if (arr == null) {
            return null;
        }
        Insn d = arr[(int) (phys & 0xFFF)];
        return d != null && d.mode == mode ? d : null;
    }

    /** The decoded instructions of a physical page (indexed by page offset), or null. */
    Insn[] page(long physPage) {
        return array(physPage, false);
    }

    void store(long phys, Insn d) {
        array(phys & ~0xFFFL, true)[(int) (phys & 0xFFF)] = d;
    }

    private Insn[] array(long page, boolean create) {
        if (page == lastPage) {
            return lastArray;
        }
        int slot = (int) (page >>> 12) & (RECENT - 1);
        Insn[] arr = recentPage[slot] == page ? recentArray[slot] : pages.get(page);
        if (arr == null) {
            if (!create) {
                return null;
            }
            arr = new Insn[4096];
            pages.put(page, arr);
            mmu.protectCodePage(page);
        }
        recentPage[slot] = page;
        recentArray[slot] = arr;
        lastPage = page;
        lastArray = arr;
        return arr;
    }

    @Override
    public boolean isCodePage(long physPage) {
        int slot = (int) (physPage >>> 12) & (RECENT - 1);
        return recentPage[slot] == physPage || pages.containsKey(physPage);
    }

    @Override
    public void codePageWritten(long physPage) {
        pages.remove(physPage);
        int slot = (int) (physPage >>> 12) & (RECENT - 1);
        if (recentPage[slot] == physPage) {
            recentPage[slot] = -1;
            recentArray[slot] = null;
        }
        if (physPage == lastPage) {
            lastPage = -1;
            lastArray = null;
        }
        mmu.codePageReleased(physPage);
    }

    void clear() {
        pages.clear();
        java.util.Arrays.fill(recentPage, -1);
        java.util.Arrays.fill(recentArray, null);
        lastPage = -1;
        lastArray = null;
    }
}
