package be.recordbroker.hl7;

import java.util.Map;

/**
 * Why a message is not accepted, in HL7 terms: an HL7 table 0357 code (ERR-3), where in the message (ERR-2, written
 * with {@code ^} between its parts, e.g. {@code PID^1^3}; the ACK uses the message's own component separator) and a
 * short human text (ERR-8 and MSA-3).
 *
 * <p>The text must never carry patient data or content: it is sent back to the hospital and may be logged.
 */
public record Hl7Error(String code, String location, String text) {

    /** Table 0357: segment sequence error (a required segment is missing or out of place). */
    public static final String SEGMENT_SEQUENCE_ERROR = "100";
    /** Table 0357: required field missing. */
    public static final String REQUIRED_FIELD_MISSING = "101";
    /** Table 0357: data type error. */
    public static final String DATA_TYPE_ERROR = "102";
    /** Table 0357: table value not found. */
    public static final String TABLE_VALUE_NOT_FOUND = "103";
    /** Table 0357: unsupported message type. */
    public static final String UNSUPPORTED_MESSAGE_TYPE = "200";
    /** Table 0357: unsupported event code. */
    public static final String UNSUPPORTED_EVENT_CODE = "201";
    /** Table 0357: unsupported processing id. */
    public static final String UNSUPPORTED_PROCESSING_ID = "202";
    /** Table 0357: unsupported version id. */
    public static final String UNSUPPORTED_VERSION_ID = "203";
    /** Table 0357: unknown key identifier. */
    public static final String UNKNOWN_KEY_IDENTIFIER = "204";
    /** Table 0357: application internal error. */
    public static final String APPLICATION_INTERNAL_ERROR = "207";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("0", "Message accepted"),
            Map.entry(SEGMENT_SEQUENCE_ERROR, "Segment sequence error"),
            Map.entry(REQUIRED_FIELD_MISSING, "Required field missing"),
            Map.entry(DATA_TYPE_ERROR, "Data type error"),
            Map.entry(TABLE_VALUE_NOT_FOUND, "Table value not found"),
            Map.entry(UNSUPPORTED_MESSAGE_TYPE, "Unsupported message type"),
            Map.entry(UNSUPPORTED_EVENT_CODE, "Unsupported event code"),
            Map.entry(UNSUPPORTED_PROCESSING_ID, "Unsupported processing id"),
            Map.entry(UNSUPPORTED_VERSION_ID, "Unsupported version id"),
            Map.entry(UNKNOWN_KEY_IDENTIFIER, "Unknown key identifier"),
            Map.entry("205", "Duplicate key identifier"),
            Map.entry("206", "Application record locked"),
            Map.entry(APPLICATION_INTERNAL_ERROR, "Application internal error"));

    public Hl7Error {
        code = code == null ? APPLICATION_INTERNAL_ERROR : code;
        location = location == null ? "" : location;
        text = text == null ? "" : text;
    }

    /** The table 0357 name of {@link #code()} (ERR-3.2), e.g. "Required field missing". */
    public String codeName() {
        return NAMES.getOrDefault(code, "Error");
    }
}
