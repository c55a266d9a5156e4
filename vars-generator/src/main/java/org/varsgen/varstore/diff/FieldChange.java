package org.varsgen.varstore.diff;

/** One field of a variable that differs: its name and both values as text. */
public record FieldChange(String field, String before, String after) {
}
