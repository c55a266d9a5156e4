package org.varsgen.cli;

import java.util.List;
import org.varsgen.varstore.Attributes;
import org.varsgen.varstore.FirmwareVolumeHeader;
import org.varsgen.varstore.FtwWorkingBlock;
import org.varsgen.varstore.KnownGuids;
import org.varsgen.varstore.Le;
import org.varsgen.varstore.SecureBootState;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreException;
import org.varsgen.varstore.VariableRecord;
import org.varsgen.varstore.decode.ValueDecoder;
import org.varsgen.varstore.sig.SignatureEntry;
import org.varsgen.varstore.sig.SignatureList;
import org.varsgen.varstore.sig.SignatureTypes;

/** The human-readable listing of {@code varsgen inspect}. */
final class InspectText {
    private static final int PREVIEW_BYTES = 32;

    private final StringBuilder sb = new StringBuilder();

    private InspectText() {
    }

    static String render(String fileName, VarStore store, boolean deleted) {
        InspectText t = new InspectText();
        t.header(fileName, store);
        List<VariableRecord> live = store.variables();
        t.line("");
        t.line(live.size() + " live variables:");
        live.forEach(r -> t.variable(r, false));
        if (deleted) {
            List<VariableRecord> dead = store.inactiveRecords();
            t.line("");
            t.line(dead.size() + " records that are not live:");
            dead.forEach(r -> t.variable(r, true));
        }
        return t.sb.toString();
    }

    private void line(String s) {
        sb.append(s).append('\n');
    }

    private void header(String fileName, VarStore s) {
        FirmwareVolumeHeader fv = s.volume();
        FtwWorkingBlock ftw = s.workingBlock();
        line(String.format("file:              %s (0x%x bytes%s)", fileName, s.fileLength(),
                s.fileLength() == fv.length() ? "" : String.format("; the NV-data volume is 0x%x bytes of it",
                        fv.length())));
        StringBuilder blocks = new StringBuilder();
        fv.blockMap().forEach(b -> blocks.append(blocks.length() == 0 ? "" : " + ")
                .append(b.count()).append(" blocks of 0x").append(Long.toHexString(b.length())));
        line(String.format("firmware volume:   at 0x%x, 0x%x bytes (%s), attributes 0x%08x, revision %d, checksum 0x%04x",
                s.volumeOffset(), fv.length(), blocks, fv.attributes(), fv.revision(), fv.checksum()));
        int live = s.variables().size();
        line(String.format("variable store:    authenticated, 0x%x bytes at 0x%x; %d records (%d live, %d not live); "
                        + "0x%x bytes free%s", s.storeHeader().size(), s.storeHeaderOffset(), s.records().size(), live,
                s.records().size() - live, s.freeSpaceLength(), s.freeSpaceErased() ? " (erased)" : " (NOT erased)"));
        line(String.format("FTW working block: at 0x%x, 0x%x bytes, state 0x%02x (%s), CRC-32 0x%08x; "
                        + "spare area at 0x%x, 0x%x bytes (%s)", s.workingBlockOffset(), ftw.length(), ftw.state(),
                ftw.isValid() ? "valid" : "NOT valid", ftw.crc(), s.spareOffset(), s.spareLength(),
                s.spareErased() ? "erased" : "holds data"));
        line("Secure Boot:       " + SecureBootState.of(s).describe());
    }

    private void variable(VariableRecord r, boolean showState) {
        line("");
        line("  " + r.name() + "  " + KnownGuids.describe(r.vendor()));
        StringBuilder meta = new StringBuilder("    attributes " + Attributes.describe(r.attributes()) + ", "
                + r.data().length + " bytes, record at 0x" + Long.toHexString(r.offset()));
        if (showState) {
            meta.append(String.format(", state 0x%02x (%s)", r.state(), r.recordState().label()));
        }
        line(meta.toString());
        if (Attributes.isTimeBasedAuthenticated(r.attributes()) || !r.time().isZero()) {
            line("    time stamp " + r.time());
        }
        if (r.monotonicCount() != 0 || r.pubKeyIndex() != 0) {
            line("    monotonic count " + Long.toUnsignedString(r.monotonicCount()) + ", public-key index "
                    + r.pubKeyIndex());
        }
        if (ValueDecoder.isSignatureDatabase(r.key())) {
            signatures(r);
            return;
        }
        String decoded = ValueDecoder.decode(r.key(), r.data());
        if (decoded != null) {
            line("    value: " + decoded);
        } else {
            line("    data: " + preview(r.data()));
        }
    }

    private void signatures(VariableRecord r) {
        List<SignatureList> lists;
        try {
            lists = SignatureList.parseAll(r.data(), r.dataOffset());
        } catch (VarStoreException e) {
            line("    malformed signature list: " + e.getMessage());
            line("    data: " + preview(r.data()));
            return;
        }
        int entries = SignatureList.entriesOf(lists).size();
        line("    " + lists.size() + " signature list" + (lists.size() == 1 ? "" : "s") + ", " + entries
                + (entries == 1 ? " entry" : " entries") + (entries == 0 ? "" : ":"));
        for (SignatureList l : lists) {
            for (SignatureEntry e : l.entries()) {
                entry(e);
            }
        }
    }

    private void entry(SignatureEntry e) {
        String owner = "owner " + KnownGuids.describe(e.owner());
        if (e.certificate() != null) {
            line("      X.509 certificate, " + owner);
            line("        subject:  " + e.certificate().subject());
            line("        issuer:   " + e.certificate().issuer());
            line("        serial:   " + e.certificate().serial());
            line("        valid:    " + e.certificate().notBefore() + " to " + e.certificate().notAfter());
            line("        SHA-256:  " + e.certificate().sha256());
        } else if (e.problem() != null) {
            line("      X.509 entry, " + owner + ": " + e.problem());
        } else {
            line("      " + SignatureTypes.name(e.type()) + " " + Le.hex(e.data()) + ", " + owner);
        }
    }

    private static String preview(byte[] data) {
        if (data.length == 0) {
            return "(empty)";
        }
        if (data.length <= 2 * PREVIEW_BYTES) {
            return Le.hex(data);
        }
        return Le.hex(data, 0, PREVIEW_BYTES) + "... (" + data.length + " bytes)";
    }
}
