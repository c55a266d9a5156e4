package org.varsgen.varstore.diff;

import java.util.List;
import org.varsgen.varstore.VariableKey;
import org.varsgen.varstore.VariableRecord;
import org.varsgen.varstore.sig.SignatureEntry;

/**
 * A variable present in both stores whose fields differ. For signature databases whose data
 * differs, {@code onlyBefore}/{@code onlyAfter} name the entries (certificates, hashes) present on
 * one side only; they are null for other variables or when either side's lists are malformed.
 */
public record VariableChange(VariableKey key, VariableRecord before, VariableRecord after, List<FieldChange> fields,
                             List<SignatureEntry> onlyBefore, List<SignatureEntry> onlyAfter) {
}
