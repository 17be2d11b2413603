package be.recordbroker.access;

import java.util.Locale;

/** What the access matrix lets a profession do with a type of document; each level includes the ones before it. */
public enum AccessLevel {
    NONE, LIST, READ;

    public boolean permits(AccessLevel needed) {
        return compareTo(needed) >= 0;
    }

    public static AccessLevel parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "list" -> LIST;
            case "read" -> READ;
            default -> throw new IllegalArgumentException("'" + value + "' is not none, list or read");
        };
    }
}
