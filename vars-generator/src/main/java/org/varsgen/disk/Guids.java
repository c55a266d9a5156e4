package org.varsgen.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** GUIDs for disk images: derived from a seed so that images are reproducible, and their on-disk form. */
public final class Guids {
    /** The GPT partition type of an EFI System Partition. */
    public static final UUID EFI_SYSTEM_PARTITION = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");

    private Guids() {
    }

    /**
     * A version-4-shaped GUID from SHA-256 of the seed and a purpose ("disk", "partition 1"):
     * the same seed always gives the same GUIDs, different purposes give different ones.
     */
    public static UUID derive(long seed, String purpose) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest(("varsgen disk image " + seed + " " + purpose).getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0F) | 0x40);
            hash[8] = (byte) ((hash[8] & 0x3F) | 0x80);
            ByteBuffer b = ByteBuffer.wrap(hash);
            return new UUID(b.getLong(0), b.getLong(8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The 16-byte EFI_GUID form: the first three fields little-endian, the rest as written. */
    public static byte[] toBytes(UUID guid) {
        ByteBuffer big = ByteBuffer.allocate(16).putLong(guid.getMostSignificantBits()).putLong(guid.getLeastSignificantBits());
        byte[] b = big.array();
        return new byte[] {b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
            b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
    }

    public static UUID fromBytes(byte[] data, int offset) {
        ByteBuffer le = ByteBuffer.wrap(data, offset, 16).order(ByteOrder.LITTLE_ENDIAN);
        long high = ((le.getInt(offset) & 0xFFFFFFFFL) << 32) | ((le.getShort(offset + 4) & 0xFFFFL) << 16)
                | (le.getShort(offset + 6) & 0xFFFFL);
        long low = ByteBuffer.wrap(data, offset + 8, 8).getLong();
        return new UUID(high, low);
    }
}
