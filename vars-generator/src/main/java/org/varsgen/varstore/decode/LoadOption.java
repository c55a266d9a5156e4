package org.varsgen.varstore.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varsgen.varstore.Le;

/**
 * EFI_LOAD_OPTION (Boot####, Driver####, ...): attributes, file-path-list length, UCS-2
 * description, device path, optional data.
 */
public record LoadOption(long attributes, String description, byte[] devicePath, byte[] optionalData) {

    /** Decodes {@code data}; returns null when it is not a well-formed load option. */
    public static LoadOption decode(byte[] data) {
        if (data.length < 6) {
            return null;
        }
        int pathLength = Le.u16(data, 4);
        StringBuilder desc = new StringBuilder();
        int p = 6;
        while (true) {
            if (p + 2 > data.length) {
                return null;
            }
            char c = (char) Le.u16(data, p);
            p += 2;
            if (c == 0) {
                break;
            }
            desc.append(c);
        }
        if (pathLength > data.length - p) {
            return null;
        }
        return new LoadOption(Le.u32(data, 0), desc.toString(), Arrays.copyOfRange(data, p, p + pathLength),
                Arrays.copyOfRange(data, p + pathLength, data.length));
    }

    /** "ACTIVE|HIDDEN|CATEGORY_APP" style names of the attribute bits. */
    public static String attributeNames(long attributes) {
        List<String> names = new ArrayList<>();
        if ((attributes & 0x1) != 0) {
            names.add("ACTIVE");
        }
        if ((attributes & 0x2) != 0) {
            names.add("FORCE_RECONNECT");
        }
        if ((attributes & 0x8) != 0) {
            names.add("HIDDEN");
        }
        long category = attributes & 0x1F00;
        names.add(category == 0 ? "CATEGORY_BOOT" : category == 0x100 ? "CATEGORY_APP"
                : String.format("CATEGORY_0x%X", category));
        long other = attributes & ~0x1F0BL;
        if (other != 0) {
            names.add(String.format("0x%X", other));
        }
        return String.join("|", names);
    }

    /** One line: "UiApp [0x109 ACTIVE|HIDDEN|CATEGORY_APP] Fv(...)/FvFile(...) optional data 4eac...". */
    public String describe() {
        String s = "\"" + description + "\" [" + String.format("0x%X ", attributes) + attributeNames(attributes) + "] "
                + DevicePathText.render(devicePath);
        return optionalData.length == 0 ? s : s + " optional data " + Le.hex(optionalData);
    }
}
