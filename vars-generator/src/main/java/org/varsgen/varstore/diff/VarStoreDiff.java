package org.varsgen.varstore.diff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.varsgen.varstore.Attributes;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreException;
import org.varsgen.varstore.VariableKey;
import org.varsgen.varstore.VariableRecord;
import org.varsgen.varstore.decode.ValueDecoder;
import org.varsgen.varstore.sig.SignatureEntry;
import org.varsgen.varstore.sig.SignatureList;

/**
 * Compares the live variables of two stores, keyed by (vendor GUID, name). Removed and changed
 * variables come in the first store's order, added ones in the second's.
 */
public record VarStoreDiff(List<VariableRecord> removed, List<VariableRecord> added, List<VariableChange> changed) {

    public boolean isEmpty() {
        return removed.isEmpty() && added.isEmpty() && changed.isEmpty();
    }

    /** @param ignoreTimestamps leave the EFI_TIME stamps out of the comparison */
    public static VarStoreDiff compare(VarStore a, VarStore b, boolean ignoreTimestamps) {
        Map<VariableKey, VariableRecord> before = byKey(a.variables());
        Map<VariableKey, VariableRecord> after = byKey(b.variables());
        List<VariableRecord> removed = new ArrayList<>();
        List<VariableChange> changed = new ArrayList<>();
        for (VariableRecord r : before.values()) {
            VariableRecord s = after.get(r.key());
            if (s == null) {
                removed.add(r);
                continue;
            }
            VariableChange c = compare(r, s, ignoreTimestamps);
            if (c != null) {
                changed.add(c);
            }
        }
        List<VariableRecord> added = after.values().stream().filter(r -> !before.containsKey(r.key()))
                .collect(Collectors.toList());
        return new VarStoreDiff(removed, added, changed);
    }

    private static Map<VariableKey, VariableRecord> byKey(List<VariableRecord> records) {
        Map<VariableKey, VariableRecord> m = new LinkedHashMap<>();
        records.forEach(r -> m.putIfAbsent(r.key(), r));
        return m;
    }

    private static VariableChange compare(VariableRecord a, VariableRecord b, boolean ignoreTimestamps) {
        List<FieldChange> fields = new ArrayList<>();
        if (a.attributes() != b.attributes()) {
            fields.add(new FieldChange("attributes", Attributes.describe(a.attributes()),
                    Attributes.describe(b.attributes())));
        }
        if (!ignoreTimestamps && !a.time().equals(b.time())) {
            fields.add(new FieldChange("time", a.time().toString(), b.time().toString()));
        }
        if (a.monotonicCount() != b.monotonicCount()) {
            fields.add(new FieldChange("monotonic count", Long.toUnsignedString(a.monotonicCount()),
                    Long.toUnsignedString(b.monotonicCount())));
        }
        if (a.pubKeyIndex() != b.pubKeyIndex()) {
            fields.add(new FieldChange("public key index", Long.toString(a.pubKeyIndex()),
                    Long.toString(b.pubKeyIndex())));
        }
        List<SignatureEntry> onlyA = null;
        List<SignatureEntry> onlyB = null;
        if (!Arrays.equals(a.data(), b.data())) {
            fields.add(new FieldChange("data", describeData(a.data(), b.data()), describeData(b.data(), a.data())));
            if (ValueDecoder.isSignatureDatabase(a.key())) {
                try {
                    List<SignatureEntry> ea = SignatureList.entriesOf(SignatureList.parseAll(a.data(), a.dataOffset()));
                    List<SignatureEntry> eb = SignatureList.entriesOf(SignatureList.parseAll(b.data(), b.dataOffset()));
                    onlyA = minus(ea, eb);
                    onlyB = minus(eb, ea);
                } catch (VarStoreException e) {
                    // Malformed lists: the data change is still reported, just not entry by entry.
                }
            }
        }
        return fields.isEmpty() ? null : new VariableChange(a.key(), a, b, fields, onlyA, onlyB);
    }

    private static List<SignatureEntry> minus(List<SignatureEntry> x, List<SignatureEntry> y) {
        Set<String> ids = y.stream().map(SignatureEntry::identity).collect(Collectors.toSet());
        return x.stream().filter(e -> !ids.contains(e.identity())).collect(Collectors.toList());
    }

    /** "1005 bytes" plus, when the other side has the same length, where they first differ. */
    private static String describeData(byte[] mine, byte[] other) {
        String s = mine.length + " bytes";
        int first = Arrays.mismatch(mine, other);
        if (mine.length == other.length && first >= 0) {
            s += ", first difference at data byte " + first;
        }
        return s;
    }
}
