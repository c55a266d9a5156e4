package org.varsgen.generator.console;

/** Console bytes as readable text for messages: control characters as \r, \n, \e or \xNN. */
final class Printable {
    private Printable() {
    }

    static String of(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            int b = x & 0xFF;
            switch (b) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case 0x1B -> sb.append("\\e");
                default -> sb.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
            }
        }
        return sb.toString();
    }
}
