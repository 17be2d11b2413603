package be.recordbroker.domain;

import java.util.Objects;

/**
 * Thrown when an identifier (SSIN, NIHII, hub, document id) cannot be parsed or validated.
 *
 * <p>{@link #reason()} is a stable, machine-readable code (for example {@code INVALID_SSIN}) that
 * callers can map to protocol errors; the message is for humans. Messages never echo the raw input
 * of anything that could be a patient identifier, because exception messages end up in logs.
 */
public class InvalidIdentifierException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Reason code for an SSIN that cannot be parsed or whose check digits are wrong. */
    public static final String INVALID_SSIN = "INVALID_SSIN";
    /** Reason code for a NIHII/RIZIV/INAMI number that cannot be parsed or validated. */
    public static final String INVALID_NIHII = "INVALID_NIHII";
    /** Reason code for an encoded document id that is malformed, tampered or unsupported. */
    public static final String INVALID_DOCUMENT_ID = "INVALID_DOCUMENT_ID";
    /** Reason code for an invalid hub definition. */
    public static final String INVALID_HUB = "INVALID_HUB";
    /** Reason code for a hub directory holding the same code, EHP id or source label twice. */
    public static final String DUPLICATE_HUB = "DUPLICATE_HUB";

    private final String reason;

    /**
     * @param reason  stable reason code, e.g. {@link #INVALID_SSIN}
     * @param message human-readable explanation; must not contain a full patient identifier
     */
    public InvalidIdentifierException(String reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The stable reason code, e.g. {@code INVALID_SSIN}. */
    public String reason() {
        return reason;
    }
}
