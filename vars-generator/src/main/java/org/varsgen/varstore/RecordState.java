package org.varsgen.varstore;

/**
 * What a record's state byte means. Flash bits only go from 1 to 0, so a record ages by clearing
 * bits: 0x7F header written, 0x3F added, 0x3E added and in deletion (a newer copy is being
 * written), 0x3D / 0x3C deleted.
 */
public enum RecordState {
    HEADER_VALID("header valid only"),
    ADDED("added"),
    IN_DELETION("in deletion"),
    DELETED("deleted"),
    UNKNOWN("unknown state");

    public static final int ADDED_BYTE = 0x3F;
    public static final int IN_DELETION_BYTE = 0x3E;
    public static final int DELETED_BYTE = 0x3C;

    private final String label;

    RecordState(String label) {
        this.label = label;
    }

    public static RecordState of(int stateByte) {
        return switch (stateByte & 0xFF) {
            case 0x7F -> HEADER_VALID;
            case ADDED_BYTE -> ADDED;
            case IN_DELETION_BYTE -> IN_DELETION;
            case 0x3D, DELETED_BYTE -> DELETED;
            default -> UNKNOWN;
        };
    }

    public String label() {
        return label;
    }
}
