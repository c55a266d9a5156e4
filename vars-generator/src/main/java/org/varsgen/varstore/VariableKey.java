package org.varsgen.varstore;

/** What identifies a UEFI variable: its vendor GUID and its name (a name alone is ambiguous). */
public record VariableKey(Guid vendor, String name) {
    @Override
    public String toString() {
        return name + "-" + vendor;
    }
}
