package be.recordbroker.domain;

import java.util.Locale;

/** Where to search: the local hub only, or every hub through the metahub. */
public enum SearchScope {
    /** Only the hub the caller belongs to. */
    LOCAL("local"),
    /** All hubs known to hold data for the patient. */
    GLOBAL("global");

    private final String wire;

    SearchScope(String wire) {
        this.wire = wire;
    }

    /** The value used in URLs and messages: {@code local} or {@code global}. */
    public String wire() {
        return wire;
    }

    /**
     * Parses a wire value, ignoring case and surrounding whitespace.
     *
     * @throws IllegalArgumentException for null or an unknown value
     */
    public static SearchScope fromWire(String value) {
        if (value != null) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            for (SearchScope scope : values()) {
                if (scope.wire.equals(v)) {
                    return scope;
                }
            }
        }
        throw new IllegalArgumentException("unknown search scope '" + value + "', expected 'local' or 'global'");
    }
}
