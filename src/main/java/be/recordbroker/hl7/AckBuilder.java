package be.recordbroker.hl7;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;

/**
 * Builds HL7 v2 acknowledgments as ER7 text (segments CR-terminated, no MLLP framing), by hand: this runs for
 * every message and costs a fraction of building HAPI's {@code ACK} model and encoding it (measured; see the
 * package notes). Tests parse every ACK built here with HAPI's {@code PipeParser}, so HAPI stays the judge.
 *
 * <p>The ACK uses the inbound message's delimiters. MSH: sending and receiving application and facility swapped
 * (MSH-3↔MSH-5, MSH-4↔MSH-6, echoed raw), MSH-9 = {@code ACK^<inbound trigger>^ACK}, MSH-11 echoed (else
 * {@code P}), MSH-12 echoed when it is an HL7 v2 version (else {@code 2.5}; for both, the first repetition with
 * its first component trimmed), MSH-18 echoed when valued (the listener must encode the ACK with the inbound
 * charset). MSA-1 the code, MSA-2 the inbound MSH-10 (raw, byte for byte), MSA-3 the error text. For a
 * non-accepting code an ERR segment follows, in the v2.5 layout (ERR-2 location, ERR-3 {@code code^name^HL70357},
 * ERR-4 {@code E}, ERR-8 the text) plus ERR-1 (ELD, {@code seg^seq^field^code&name&HL70357}) so that 2.3/2.4
 * senders, whose ERR has only ERR-1, read the code too. Texts are escaped and cut to 80 characters (MSA-3 is an
 * ST of 80).
 *
 * <p><b>Modes.</b> Original mode answers AA/AE/AR. When MSH-15 (accept acknowledgment type) is valued the sender
 * uses enhanced mode: the broker answers a commit ACK, CA/CE/CR ({@link IngestDecision#ackCode}); its application
 * ACK (MSH-16) is not sent later by this core; when MSH-15 is {@code NE} the answer carries AA/AE/AR instead (see
 * {@link #ackCode(InboundMessage, IngestDecision)}). MSH-16 alone does not switch to enhanced mode: such senders
 * expect an application ACK in the same exchange, which original mode gives.
 */
public final class AckBuilder {

    /** Acknowledgment mode of an inbound message. */
    public enum Mode { ORIGINAL, ENHANCED }

    /** MSH-12 used when the inbound one is missing or not an HL7 v2 version. */
    public static final String DEFAULT_VERSION = "2.5";

    private static final Set<String> HL7_VERSIONS = Set.of("2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6",
            "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2");
    private static final Set<String> CODES = Set.of("AA", "AE", "AR", "CA", "CE", "CR");
    private static final int MAX_TEXT = 80;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");
    private static final Hl7Error NOT_HL7 = new Hl7Error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "MSH^1",
            "Not an HL7 v2 message: the frame must start with an MSH segment");

    private AckBuilder() {
    }

    /** ENHANCED when MSH-15 is valued, else ORIGINAL. */
    public static Mode mode(InboundMessage m) {
        return m.isHl7() && !m.acceptAckType().isEmpty() ? Mode.ENHANCED : Mode.ORIGINAL;
    }

    /**
     * MSA-1 of the acknowledgment to send now for this decision; empty only for IGNORE (an inbound ACK).
     * Original mode (MSH-15 empty): AA/AE/AR. Enhanced mode: the commit ACK CA/CE/CR, or, when MSH-15 is
     * {@code NE} (no commit ACK wanted), the application code AA/AE/AR, which for the broker states the same fact
     * (durably queued, or why not).
     *
     * <p>MSH-15/MSH-16 conditions ({@code NE}, {@code ER}, {@code SU}) are deliberately not applied here: a sender
     * that waits for an answer it declared it did not want (common: "wait for ACK" is usually a connection setting,
     * not read from MSH-15) would time out and resend, while an unrequested ACK is simply never read by a sender
     * that does not wait. {@link #ackCode(InboundMessage, IngestDecision, boolean)} applies them, for a feed known
     * to follow the table.
     */
    public static Optional<String> ackCode(InboundMessage m, IngestDecision d) {
        return ackCode(m, d, false);
    }

    /**
     * As {@link #ackCode(InboundMessage, IngestDecision)}; with {@code honourConditions}, enhanced mode also applies
     * HL7 table 0155 to MSH-15 (and to MSH-16 when MSH-15 is {@code NE}): {@code AL} or an unknown value: always,
     * {@code ER}: only errors and rejects, {@code SU}: only accepts, {@code NE} or empty: never.
     */
    public static Optional<String> ackCode(InboundMessage m, IngestDecision d, boolean honourConditions) {
        if (d.outcome() == IngestDecision.Outcome.IGNORE) {
            return Optional.empty();
        }
        if (mode(m) == Mode.ORIGINAL) {
            return Optional.of(d.ackCode(false));
        }
        boolean commitDeclined = "NE".equals(m.acceptAckType());
        String code = d.ackCode(!commitDeclined);
        if (!honourConditions) {
            return Optional.of(code);
        }
        String condition = commitDeclined ? m.applicationAckType() : m.acceptAckType();
        boolean wanted = switch (condition) {
            case "NE", "" -> false;
            case "ER" -> !d.accepted();
            case "SU" -> d.accepted();
            default -> true;
        };
        return wanted ? Optional.of(code) : Optional.empty();
    }

    /**
     * The acknowledgment for a decision, with the code of {@link #ackCode(InboundMessage, IngestDecision)}; empty
     * for IGNORE (an inbound ACK is never acknowledged). A frame that is not HL7 gets {@link #ackForGarbage}.
     */
    public static Optional<String> ackFor(InboundMessage m, IngestDecision d, String ackControlId, String timestamp) {
        if (d.outcome() == IngestDecision.Outcome.IGNORE) {
            return Optional.empty();
        }
        if (!m.isHl7()) {
            return Optional.of(ackForGarbage(d.error() != null ? d.error() : NOT_HL7, ackControlId, timestamp));
        }
        return ackCode(m, d).map(code -> ack(m, code, d.error(), ackControlId, timestamp));
    }

    /**
     * The ACK of {@code m} with MSA-1 {@code code} (AA AE AR CA CE CR) and, for any code but AA/CA, the ERR built
     * from {@code error} (nullable: then no ERR and no MSA-3). A non-HL7 {@code m} gets {@link #ackForGarbage}.
     *
     * @param ackControlId MSH-10 of the ACK (unique per ACK; the caller's generator)
     * @param timestamp    MSH-7 of the ACK, e.g. from {@link #timestamp(ZonedDateTime)}
     */
    public static String ack(InboundMessage m, String code, Hl7Error error, String ackControlId, String timestamp) {
        if (!CODES.contains(code)) {
            throw new IllegalArgumentException("MSA-1 must be one of " + CODES + ", was " + code);
        }
        if (!m.isHl7()) {
            return ackForGarbage(error != null ? error : NOT_HL7, ackControlId, timestamp);
        }
        Delimiters d = m.delimiters();
        char f = d.field();
        char c = d.component();
        StringBuilder sb = new StringBuilder(256 + m.controlId().length());
        sb.append("MSH").append(f).append(d.encodingCharacters())
                .append(f).append(m.receivingApplication())
                .append(f).append(m.receivingFacility())
                .append(f).append(m.sendingApplication())
                .append(f).append(m.sendingFacilityRaw())
                .append(f).append(d.escape(timestamp))
                .append(f)
                .append(f).append("ACK").append(c).append(d.escape(m.triggerEvent())).append(c).append("ACK")
                .append(f).append(d.escape(ackControlId))
                .append(f).append(m.processingId().isEmpty() ? "P" : echo(m.processingIdRaw(), m.processingId(), d))
                .append(f).append(HL7_VERSIONS.contains(m.version())
                        ? echo(m.versionRaw(), m.version(), d) : DEFAULT_VERSION);
        if (!m.charsetRaw().isEmpty()) {
            sb.append(f).append(f).append(f).append(f).append(f).append(f).append(m.charsetRaw());
        }
        sb.append('\r');
        boolean accepting = "AA".equals(code) || "CA".equals(code);
        appendMsaAndErr(sb, d, code, m.controlId(), accepting ? null : error);
        return sb.toString();
    }

    /**
     * A minimal valid ACK for a frame that is not HL7 at all: default delimiters, MSH-3..6 empty (nothing to swap),
     * {@code ACK^^ACK}, processing id {@code P}, version {@value #DEFAULT_VERSION}, MSA {@code AR} with an empty
     * MSA-2, ERR 100 at {@code MSH^1}.
     */
    public static String ackForGarbage(String ackControlId, String timestamp) {
        return ackForGarbage(NOT_HL7, ackControlId, timestamp);
    }

    /** As {@link #ackForGarbage(String, String)} with another error. */
    public static String ackForGarbage(Hl7Error error, String ackControlId, String timestamp) {
        Delimiters d = Delimiters.DEFAULT;
        StringBuilder sb = new StringBuilder(256);
        sb.append("MSH|^~\\&|||||").append(d.escape(timestamp)).append("||ACK^^ACK|").append(d.escape(ackControlId))
                .append("|P|").append(DEFAULT_VERSION).append('\r');
        appendMsaAndErr(sb, d, "AR", "", error);
        return sb.toString();
    }

    /** An HL7 DTM for MSH-7: {@code yyyyMMddHHmmss.SSS±ZZZZ}. */
    public static String timestamp(ZonedDateTime time) {
        return TS.format(time);
    }

    private static void appendMsaAndErr(StringBuilder sb, Delimiters d, String code, String controlId, Hl7Error error) {
        char f = d.field();
        sb.append("MSA").append(f).append(code).append(f).append(controlId);
        if (error == null) {
            sb.append('\r');
            return;
        }
        String text = d.escape(cut(error.text()));
        String name = d.escape(error.codeName());
        String code0357 = d.escape(error.code());
        sb.append(f).append(text).append('\r');

        char c = d.component();
        char s = d.subcomponent();
        String[] where = error.location().isEmpty() ? new String[0] : error.location().split("\\^", -1);
        sb.append("ERR").append(f);
        for (int i = 0; i < 3; i++) { // ERR-1 (ELD): segment ^ sequence ^ field ^ code&name&HL70357
            sb.append(i < where.length ? d.escape(where[i]) : "").append(c);
        }
        sb.append(code0357).append(s).append(name).append(s).append("HL70357");
        sb.append(f); // ERR-2 (ERL): segment ^ sequence ^ field ^ repetition ^ component ^ subcomponent
        for (int i = 0; i < where.length && i < 6; i++) {
            if (i > 0) {
                sb.append(c);
            }
            sb.append(d.escape(where[i]));
        }
        sb.append(f).append(code0357).append(c).append(name).append(c).append("HL70357") // ERR-3
                .append(f).append('E') // ERR-4 severity
                .append(f).append(f).append(f) // ERR-5..7
                .append(f).append(text) // ERR-8 user message
                .append('\r');
    }

    /**
     * MSH-11/MSH-12 for the ACK: the inbound first repetition, with its first component replaced by the clean value
     * ({@code "2.5 "} or a stray repetition would make receivers, HAPI included, misread the version).
     */
    private static String echo(String raw, String cleanFirstComponent, Delimiters d) {
        int rep = raw.indexOf(d.repetition());
        String first = rep < 0 ? raw : raw.substring(0, rep);
        int comp = first.indexOf(d.component());
        String clean = d.escape(cleanFirstComponent);
        return comp < 0 ? clean : clean + first.substring(comp);
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }
}
