package org.varsgen.varstore.decode;

import java.util.Arrays;
import org.varsgen.varstore.Guid;
import org.varsgen.varstore.Le;

/**
 * Renders an EFI device path in the UEFI text form for the simple node types OVMF stores use
 * (PciRoot, Pci, Acpi, Uart, Sata, UsbClass, VenHw/VenMsg/VenMedia, Fv, FvFile, HD, file paths,
 * end nodes); any other node appears as the generic {@code Path(type,subtype,hex)}. Never throws:
 * a malformed node is shown as such, with the remaining bytes in hex.
 */
public final class DevicePathText {
    private static final int HARDWARE = 0x01;
    private static final int ACPI = 0x02;
    private static final int MESSAGING = 0x03;
    private static final int MEDIA = 0x04;
    private static final int END = 0x7F;

    private DevicePathText() {
    }

    public static String render(byte[] path) {
        StringBuilder sb = new StringBuilder();
        int p = 0;
        boolean atStart = true;
        while (p < path.length) {
            if (path.length - p < 4) {
                return sb.append(malformed(path, p)).toString();
            }
            int type = path[p] & 0xFF;
            int sub = path[p + 1] & 0xFF;
            int len = Le.u16(path, p + 2);
            if (len < 4 || len > path.length - p) {
                return sb.append(malformed(path, p)).toString();
            }
            byte[] body = Arrays.copyOfRange(path, p + 4, p + len);
            p += len;
            if (type == END) {
                if (sub == 0xFF) {
                    if (p < path.length) {
                        sb.append(" [bytes after the end node: ").append(Le.hex(path, p, path.length - p)).append(']');
                    }
                    return sb.toString();
                }
                sb.append(',');
                atStart = true;
                continue;
            }
            if (!atStart) {
                sb.append('/');
            }
            sb.append(node(type, sub, body));
            atStart = false;
        }
        return sb.append(" [no end node]").toString();
    }

    private static String malformed(byte[] path, int p) {
        return "[malformed device path node at byte " + p + ": " + Le.hex(path, p, path.length - p) + "]";
    }

    private static String node(int type, int sub, byte[] b) {
        String s = switch (type) {
            case HARDWARE -> hardware(sub, b);
            case ACPI -> acpi(sub, b);
            case MESSAGING -> messaging(sub, b);
            case MEDIA -> media(sub, b);
            default -> null;
        };
        return s != null ? s : String.format("Path(%d,%d,%s)", type, sub, Le.hex(b));
    }

    private static String hardware(int sub, byte[] b) {
        return switch (sub) {
            case 0x01 -> b.length == 2 ? String.format("Pci(0x%X,0x%X)", b[1] & 0xFF, b[0] & 0xFF) : null;
            case 0x04 -> vendor("VenHw", b);
            case 0x05 -> b.length == 4 ? String.format("Ctrl(0x%X)", Le.u32(b, 0)) : null;
            default -> null;
        };
    }

    private static String acpi(int sub, byte[] b) {
        if (sub != 0x01 || b.length != 8) {
            return null;
        }
        long hid = Le.u32(b, 0);
        long uid = Le.u32(b, 4);
        if ((hid & 0xFFFF) == 0x41D0) {
            String name = switch ((int) (hid >>> 16)) {
                case 0x0A03 -> "PciRoot";
                case 0x0A08 -> "PcieRoot";
                case 0x0604 -> "Floppy";
                case 0x0301 -> "Keyboard";
                case 0x0501 -> "Serial";
                case 0x0401 -> "ParallelPort";
                default -> null;
            };
            if (name != null) {
                return String.format("%s(0x%X)", name, uid);
            }
        }
        return String.format("Acpi(%s,0x%X)", eisaId(hid), uid);
    }

    /** A compressed EISA id: three 5-bit letters in the low 16 bits, the product number in the high 16. */
    private static String eisaId(long hid) {
        int low = (int) (hid & 0xFFFF);
        char a = (char) ('@' + ((low >> 10) & 0x1F));
        char b = (char) ('@' + ((low >> 5) & 0x1F));
        char c = (char) ('@' + (low & 0x1F));
        return String.format("%c%c%c%04X", a, b, c, hid >>> 16);
    }

    private static String messaging(int sub, byte[] b) {
        return switch (sub) {
            case 0x0E -> b.length == 15 ? uart(b) : null;
            case 0x0F -> b.length == 7 ? String.format("UsbClass(0x%X,0x%X,0x%X,0x%X,0x%X)",
                    Le.u16(b, 0), Le.u16(b, 2), b[4] & 0xFF, b[5] & 0xFF, b[6] & 0xFF) : null;
            case 0x12 -> b.length == 6 ? String.format("Sata(0x%X,0x%X,0x%X)",
                    Le.u16(b, 0), Le.u16(b, 2), Le.u16(b, 4)) : null;
            case 0x0A -> vendorMessaging(b);
            default -> null;
        };
    }

    private static String uart(byte[] b) {
        long baud = Le.u64(b, 4);
        int data = b[12] & 0xFF;
        String parity = switch (b[13]) {
            case 0 -> "D";
            case 1 -> "N";
            case 2 -> "E";
            case 3 -> "O";
            case 4 -> "M";
            case 5 -> "S";
            default -> "x" + (b[13] & 0xFF);
        };
        String stop = switch (b[14]) {
            case 0 -> "D";
            case 1 -> "1";
            case 2 -> "1.5";
            case 3 -> "2";
            default -> "x" + (b[14] & 0xFF);
        };
        return "Uart(" + (baud == 0 ? "DEFAULT" : Long.toUnsignedString(baud)) + "," + (data == 0 ? "DEFAULT" : data)
                + "," + parity + "," + stop + ")";
    }

    private static String vendorMessaging(byte[] b) {
        if (b.length == 16) {
            String known = switch (Guid.read(b, 0).toString()) {
                case "e0c14753-f9be-11d2-9a0c-0090273fc14d" -> "VenPcAnsi()";
                case "dfa66065-b419-11d3-9a2d-0090273fc14d" -> "VenVt100()";
                case "7baec70b-57e0-4c76-8e87-2f9e28088343" -> "VenVt100Plus()";
                case "ad15a0d6-8bec-4acf-a073-d01de77e2d88" -> "VenUtf8()";
                default -> null;
            };
            if (known != null) {
                return known;
            }
        }
        return vendor("VenMsg", b);
    }

    private static String media(int sub, byte[] b) {
        return switch (sub) {
            case 0x01 -> b.length == 38 ? hardDisk(b) : null;
            case 0x03 -> vendor("VenMedia", b);
            case 0x04 -> filePath(b);
            case 0x06 -> b.length == 16 ? "FvFile(" + Guid.read(b, 0) + ")" : null;
            case 0x07 -> b.length == 16 ? "Fv(" + Guid.read(b, 0) + ")" : null;
            default -> null;
        };
    }

    private static String hardDisk(byte[] b) {
        long part = Le.u32(b, 0);
        long start = Le.u64(b, 4);
        long size = Le.u64(b, 12);
        int format = b[36] & 0xFF;
        int sigType = b[37] & 0xFF;
        String sig = switch (sigType) {
            case 1 -> String.format("0x%08X", Le.u32(b, 20));
            case 2 -> Guid.read(b, 20).toString();
            default -> "0";
        };
        String fmt = format == 1 ? "MBR" : format == 2 ? "GPT" : Integer.toString(format);
        return String.format("HD(%d,%s,%s,0x%X,0x%X)", part, fmt, sig, start, size);
    }

    private static String filePath(byte[] b) {
        if (b.length % 2 != 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < b.length; i += 2) {
            char c = (char) Le.u16(b, i);
            if (c == 0) {
                break;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String vendor(String kind, byte[] b) {
        if (b.length < 16) {
            return null;
        }
        Guid g = Guid.read(b, 0);
        return b.length == 16 ? kind + "(" + g + ")" : kind + "(" + g + "," + Le.hex(b, 16, b.length - 16) + ")";
    }
}
