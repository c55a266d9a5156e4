package org.varsgen.varstore.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.varsgen.varstore.Guid;
import org.varsgen.varstore.KnownGuids;
import org.varsgen.varstore.Le;
import org.varsgen.varstore.VariableKey;

/**
 * One-line readable forms of the well-known variables' values: load options, BootOrder, Timeout,
 * Lang/PlatformLang, console device paths, the Secure Boot bytes. Returns null for variables it
 * does not know or whose bytes do not have the expected shape, and never throws.
 */
public final class ValueDecoder {
    private static final Pattern LOAD_OPTION = Pattern.compile("(Boot|Driver|SysPrep|PlatformRecovery)[0-9A-F]{4}");
    private static final Guid GLOBAL = KnownGuids.EFI_GLOBAL_VARIABLE;

    private ValueDecoder() {
    }

    /** Whether the variable holds EFI_SIGNATURE_LISTs (PK, KEK, db, dbx, ...). */
    public static boolean isSignatureDatabase(VariableKey key) {
        String n = key.name();
        if (key.vendor().equals(GLOBAL)) {
            return n.equals("PK") || n.equals("KEK") || n.equals("PKDefault") || n.equals("KEKDefault")
                    || n.equals("dbDefault") || n.equals("dbxDefault") || n.equals("dbtDefault");
        }
        return key.vendor().equals(KnownGuids.IMAGE_SECURITY_DATABASE)
                && (n.equals("db") || n.equals("dbx") || n.equals("dbt") || n.equals("dbr"));
    }

    public static String decode(VariableKey key, byte[] data) {
        String n = key.name();
        Guid g = key.vendor();
        if (g.equals(KnownGuids.SECURE_BOOT_ENABLE) && n.equals("SecureBootEnable")
                || g.equals(KnownGuids.CUSTOM_MODE) && n.equals("CustomMode")) {
            return data.length == 1 ? (data[0] == 1 ? "1 (on)" : data[0] == 0 ? "0 (off)" : "0x" + Le.hex(data)) : null;
        }
        if (!g.equals(GLOBAL)) {
            return null;
        }
        if (LOAD_OPTION.matcher(n).matches()) {
            LoadOption o = LoadOption.decode(data);
            return o == null ? null : o.describe();
        }
        return switch (n) {
            case "BootOrder", "DriverOrder", "SysPrepOrder" -> order(n.substring(0, n.length() - 5), data);
            case "BootCurrent", "BootNext", "Timeout" -> data.length == 2 ? Integer.toString(Le.u16(data, 0)) : null;
            case "Lang", "PlatformLang", "LangCodes", "PlatformLangCodes" -> ascii(data);
            case "ConIn", "ConOut", "ErrOut", "ConInDev", "ConOutDev", "ErrOutDev" -> DevicePathText.render(data);
            case "SecureBoot", "SetupMode", "AuditMode", "DeployedMode" -> data.length == 1
                    ? Integer.toString(data[0] & 0xFF) : null;
            default -> null;
        };
    }

    private static String order(String prefix, byte[] data) {
        if (data.length % 2 != 0) {
            return null;
        }
        if (data.length == 0) {
            return "(empty)";
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < data.length; i += 2) {
            items.add(String.format("%s%04X", prefix, Le.u16(data, i)));
        }
        return String.join(", ", items);
    }

    /** A NUL-terminated ASCII string (language codes); null when the bytes are not one. */
    private static String ascii(byte[] data) {
        int end = data.length;
        if (end > 0 && data[end - 1] == 0) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (data[i] < 0x20 || data[i] > 0x7E) {
                return null;
            }
        }
        return "\"" + new String(data, 0, end, StandardCharsets.US_ASCII) + "\"";
    }
}
