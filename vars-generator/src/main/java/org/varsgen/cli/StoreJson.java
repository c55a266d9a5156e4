package org.varsgen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.varsgen.varstore.Attributes;
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

/**
 * The variable-store JSON of QEMU's uefi-vars device, libvirt and virt-firmware ({"version": 2,
 * "variables": [{name, guid, attr, data, time}]}), optionally with varsgen's own views under the
 * key {@value #EXTRA} (top level and per variable), which no other tool uses. Members are added in
 * a fixed order and variables in store order, so the output is deterministic.
 */
final class StoreJson {
    static final String EXTRA = "varsgen";
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StoreJson() {
    }

    /**
     * @param extras  add the {@value #EXTRA} members (strict readers such as QEMU's reject unknown members)
     * @param deleted list the records that are not live under varsgen.deletedRecords (needs extras)
     */
    static ObjectNode store(VarStore store, boolean extras, boolean deleted) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", 2);
        ArrayNode vars = root.putArray("variables");
        List<VariableRecord> live = store.variables();
        live.forEach(r -> vars.add(variable(r, extras)));
        if (extras) {
            ObjectNode x = root.putObject(EXTRA);
            ObjectNode fv = x.putObject("volume");
            fv.put("offset", store.volumeOffset());
            fv.put("length", store.volume().length());
            fv.put("blockSize", store.volume().blockSize());
            fv.put("attributes", store.volume().attributes());
            fv.put("revision", store.volume().revision());
            ObjectNode vs = x.putObject("store");
            vs.put("offset", store.storeHeaderOffset());
            vs.put("size", store.storeHeader().size());
            vs.put("records", store.records().size());
            vs.put("live", live.size());
            vs.put("free", store.freeSpaceLength());
            vs.put("freeErased", store.freeSpaceErased());
            ObjectNode ftw = x.putObject("workingBlock");
            ftw.put("offset", store.workingBlockOffset());
            ftw.put("length", store.workingBlock().length());
            ftw.put("state", store.workingBlock().state());
            ftw.put("valid", store.workingBlock().isValid());
            ftw.put("crc", store.workingBlock().crc());
            ftw.put("spareOffset", store.spareOffset());
            ftw.put("spareLength", store.spareLength());
            ftw.put("spareErased", store.spareErased());
            SecureBootState sb = SecureBootState.of(store);
            ObjectNode s = x.putObject("secureBoot");
            s.put("mode", sb.setupMode() ? "setup" : "user");
            s.put("pkEnrolled", sb.pkEnrolled());
            putNullable(s, "secureBootEnable", sb.secureBootEnable());
            putNullable(s, "customMode", sb.customMode());
            if (deleted) {
                ArrayNode d = x.putArray("deletedRecords");
                store.inactiveRecords().forEach(r -> d.add(variable(r, true)));
            }
        }
        return root;
    }

    private static void putNullable(ObjectNode n, String key, Integer v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    /** One variable in the interchange form (plus extras). "time" only for time-based authenticated ones. */
    static ObjectNode variable(VariableRecord r, boolean extras) {
        ObjectNode v = MAPPER.createObjectNode();
        v.put("name", r.name());
        v.put("guid", r.vendor().toString());
        v.put("attr", r.attributes());
        v.put("data", Le.hex(r.data()));
        if (Attributes.isTimeBasedAuthenticated(r.attributes())) {
            v.put("time", r.time().hex());
        }
        if (extras) {
            v.set(EXTRA, details(r));
        }
        return v;
    }

    private static ObjectNode details(VariableRecord r) {
        ObjectNode x = MAPPER.createObjectNode();
        String vendor = KnownGuids.nameOf(r.vendor());
        if (vendor != null) {
            x.put("vendor", vendor);
        }
        ArrayNode attrs = x.putArray("attributes");
        Attributes.names(r.attributes()).forEach(attrs::add);
        x.put("size", r.data().length);
        x.put("offset", r.offset());
        x.put("state", r.recordState().label());
        x.put("stateByte", r.state());
        x.put("monotonicCount", r.monotonicCount());
        x.put("pubKeyIndex", r.pubKeyIndex());
        if (!r.time().isZero()) {
            x.put("timestamp", r.time().toString());
        }
        String decoded = ValueDecoder.decode(r.key(), r.data());
        if (decoded != null) {
            x.put("decoded", decoded);
        }
        if (ValueDecoder.isSignatureDatabase(r.key())) {
            try {
                x.set("signatureLists", signatureLists(SignatureList.parseAll(r.data(), r.dataOffset())));
            } catch (VarStoreException e) {
                x.put("signatureError", e.getMessage());
            }
        }
        return x;
    }

    private static ArrayNode signatureLists(List<SignatureList> lists) {
        ArrayNode out = MAPPER.createArrayNode();
        for (SignatureList l : lists) {
            ObjectNode ln = out.addObject();
            ln.put("type", SignatureTypes.name(l.type()));
            ln.put("typeGuid", l.type().toString());
            ArrayNode entries = ln.putArray("entries");
            l.entries().forEach(e -> entries.add(entry(e)));
        }
        return out;
    }

    static ObjectNode entry(SignatureEntry e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", SignatureTypes.name(e.type()));
        n.put("owner", e.owner().toString());
        String ownerName = KnownGuids.nameOf(e.owner());
        if (ownerName != null) {
            n.put("ownerName", ownerName);
        }
        if (e.certificate() != null) {
            n.put("subject", e.certificate().subject());
            n.put("issuer", e.certificate().issuer());
            n.put("serial", e.certificate().serial());
            n.put("notBefore", e.certificate().notBefore());
            n.put("notAfter", e.certificate().notAfter());
            n.put("sha256", e.certificate().sha256());
        } else {
            n.put("hash", Le.hex(e.data()));
            if (e.problem() != null) {
                n.put("problem", e.problem());
            }
        }
        return n;
    }

    static String toText(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (java.io.IOException e) {
            // Upstream Jackson declares only JsonProcessingException (an IOException); Debian's
            // patched jackson-databind 2.14.0 (bookworm's +deb12u1) also declares IOException.
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }
}
