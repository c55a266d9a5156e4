package org.varsgen.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.varsgen.varstore.Attributes;
import org.varsgen.varstore.KnownGuids;
import org.varsgen.varstore.VariableRecord;
import org.varsgen.varstore.diff.FieldChange;
import org.varsgen.varstore.diff.VarStoreDiff;
import org.varsgen.varstore.diff.VariableChange;
import org.varsgen.varstore.sig.SignatureEntry;

/** The text and JSON forms of {@code varsgen diff}. */
final class DiffReport {
    private DiffReport() {
    }

    static String text(String a, String b, VarStoreDiff d) {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(a).append('\n').append("+++ ").append(b).append('\n');
        for (VariableRecord r : d.removed()) {
            sb.append("removed: ").append(title(r)).append(", ").append(Attributes.describe(r.attributes()))
                    .append(", ").append(r.data().length).append(" bytes\n");
        }
        for (VariableRecord r : d.added()) {
            sb.append("added:   ").append(title(r)).append(", ").append(Attributes.describe(r.attributes()))
                    .append(", ").append(r.data().length).append(" bytes\n");
        }
        for (VariableChange c : d.changed()) {
            sb.append("changed: ").append(title(c.before())).append('\n');
            for (FieldChange f : c.fields()) {
                sb.append("    ").append(f.field()).append(": ").append(f.before()).append(" -> ").append(f.after())
                        .append('\n');
            }
            entries(sb, "only in " + a, c.onlyBefore());
            entries(sb, "only in " + b, c.onlyAfter());
        }
        int n = d.removed().size() + d.added().size() + d.changed().size();
        sb.append(n == 0 ? "no differences" : n + (n == 1 ? " variable differs" : " variables differ")).append('\n');
        return sb.toString();
    }

    private static String title(VariableRecord r) {
        return r.name() + " " + KnownGuids.describe(r.vendor());
    }

    private static void entries(StringBuilder sb, String label, List<SignatureEntry> entries) {
        if (entries != null) {
            for (SignatureEntry e : entries) {
                sb.append("    ").append(label).append(": ").append(e.summary()).append('\n');
            }
        }
    }

    static ObjectNode json(String a, String b, boolean ignoreTimestamps, VarStoreDiff d) {
        ObjectNode root = StoreJson.MAPPER.createObjectNode();
        root.put("a", a);
        root.put("b", b);
        root.put("ignoreTimestamps", ignoreTimestamps);
        root.put("equal", d.isEmpty());
        ArrayNode removed = root.putArray("removed");
        d.removed().forEach(r -> removed.add(StoreJson.variable(r, false)));
        ArrayNode added = root.putArray("added");
        d.added().forEach(r -> added.add(StoreJson.variable(r, false)));
        ArrayNode changed = root.putArray("changed");
        for (VariableChange c : d.changed()) {
            ObjectNode n = changed.addObject();
            n.put("name", c.key().name());
            n.put("guid", c.key().vendor().toString());
            ArrayNode fields = n.putArray("fields");
            for (FieldChange f : c.fields()) {
                fields.addObject().put("field", f.field()).put("a", f.before()).put("b", f.after());
            }
            if (c.onlyBefore() != null) {
                ArrayNode x = n.putArray("signaturesOnlyInA");
                c.onlyBefore().forEach(e -> x.add(StoreJson.entry(e)));
                ArrayNode y = n.putArray("signaturesOnlyInB");
                c.onlyAfter().forEach(e -> y.add(StoreJson.entry(e)));
            }
            n.set("a", StoreJson.variable(c.before(), false));
            n.set("b", StoreJson.variable(c.after(), false));
        }
        return root;
    }
}
