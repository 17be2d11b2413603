package be.recordbroker.domain;

import java.util.Locale;

/**
 * How one hub fared during a federated search.
 *
 * <p>{@link #SKIPPED} means the broker deliberately did not ask the hub because it cannot hold a
 * matching document (outside the requested {@link SearchScope}, or the metahub reports no link
 * between the patient and that hub). It must never be used for a hub that could not be asked:
 * that is {@link #TIMEOUT}, {@link #ERROR} or {@link #CIRCUIT_OPEN}.
 */
public enum HubStatus {
    /** The hub answered. */
    OK("ok"),
    /** The hub did not answer in time. */
    TIMEOUT("timeout"),
    /** The hub answered with an error, or the call failed. */
    ERROR("error"),
    /** The hub was not called because its circuit breaker is open after recent failures. */
    CIRCUIT_OPEN("circuit-open"),
    /** The hub was deliberately not asked because it cannot hold matching data (see type javadoc). */
    SKIPPED("skipped");

    private final String wire;

    HubStatus(String wire) {
        this.wire = wire;
    }

    /** The value used in responses: {@code ok}, {@code timeout}, {@code error}, {@code circuit-open}, {@code skipped}. */
    public String wire() {
        return wire;
    }

    /** True for statuses where documents the caller asked for may be missing. */
    public boolean isFailure() {
        return this == TIMEOUT || this == ERROR || this == CIRCUIT_OPEN;
    }

    /**
     * Parses a wire value, ignoring case and surrounding whitespace.
     *
     * @throws IllegalArgumentException for null or an unknown value
     */
    public static HubStatus fromWire(String value) {
        if (value != null) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            for (HubStatus status : values()) {
                if (status.wire.equals(v)) {
                    return status;
                }
            }
        }
        throw new IllegalArgumentException("unknown hub status '" + value + "'");
    }
}
