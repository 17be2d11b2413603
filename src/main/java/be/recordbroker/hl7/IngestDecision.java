package be.recordbroker.hl7;

import java.util.Objects;

import be.recordbroker.domain.Ssin;

/**
 * What to do with one inbound frame, and so which acknowledgment it gets.
 *
 * <table>
 *   <caption>Outcome to MSA-1</caption>
 *   <tr><th>outcome</th><th>original mode</th><th>enhanced mode (MSH-15 valued)</th><th>meaning</th></tr>
 *   <tr><td>ACCEPT</td><td>AA</td><td>CA</td><td>enqueue durably, then acknowledge</td></tr>
 *   <tr><td>ERROR</td><td>AE</td><td>CE</td><td>content error: do not resend unchanged</td></tr>
 *   <tr><td>REJECT</td><td>AR</td><td>CR</td><td>envelope unacceptable (MSH-9/11/12, missing MSH fields, not HL7)</td></tr>
 *   <tr><td>UNAVAILABLE</td><td>AE</td><td>CE</td><td>we failed (e.g. the durable enqueue): the sender keeps the message and retries</td></tr>
 *   <tr><td>IGNORE</td><td colspan="2">no ACK at all</td><td>the frame is itself an ACK: never acknowledge an ACK</td></tr>
 * </table>
 *
 * <p>{@code ssin} is the patient's SSIN for ACCEPT (null otherwise); {@code error} is set for ERROR, REJECT and
 * UNAVAILABLE; {@code reason} is a log-safe note for IGNORE.
 */
public record IngestDecision(Outcome outcome, Hl7Error error, Ssin ssin, String reason) {

    /** See the class table. */
    public enum Outcome { ACCEPT, ERROR, REJECT, UNAVAILABLE, IGNORE }

    public IngestDecision {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
        if ((outcome == Outcome.ERROR || outcome == Outcome.REJECT || outcome == Outcome.UNAVAILABLE)
                && error == null) {
            throw new IllegalArgumentException(outcome + " needs an Hl7Error");
        }
    }

    /** Accept; {@code ssin} may be null when no SSIN is required. */
    public static IngestDecision accept(Ssin ssin) {
        return new IngestDecision(Outcome.ACCEPT, null, ssin, "");
    }

    /** AE / CE: a content error. */
    public static IngestDecision error(String code, String location, String text) {
        return new IngestDecision(Outcome.ERROR, new Hl7Error(code, location, text), null, "");
    }

    /** AR / CR: the envelope cannot be processed. */
    public static IngestDecision reject(String code, String location, String text) {
        return new IngestDecision(Outcome.REJECT, new Hl7Error(code, location, text), null, "");
    }

    /** AR / CE with table 0357 code 207: the broker could not take the message (e.g. queue down); retry later. */
    public static IngestDecision unavailable(String text) {
        return new IngestDecision(Outcome.UNAVAILABLE,
                new Hl7Error(Hl7Error.APPLICATION_INTERNAL_ERROR, "", text), null, "");
    }

    /** No acknowledgment at all. */
    public static IngestDecision ignore(String reason) {
        return new IngestDecision(Outcome.IGNORE, null, null, reason);
    }

    /** True for ACCEPT. */
    public boolean accepted() {
        return outcome == Outcome.ACCEPT;
    }

    /**
     * MSA-1 for this decision: AA/AE/AR in original mode, CA/CE/CR in enhanced mode; null for IGNORE.
     */
    public String ackCode(boolean enhancedMode) {
        return switch (outcome) {
            case ACCEPT -> enhancedMode ? "CA" : "AA";
            case ERROR -> enhancedMode ? "CE" : "AE";
            case REJECT -> enhancedMode ? "CR" : "AR";
            case UNAVAILABLE -> enhancedMode ? "CE" : "AE";
            case IGNORE -> null;
        };
    }

    @Override
    public String toString() { // the SSIN is masked by Ssin.toString(); the error text carries no patient data
        return "IngestDecision[" + outcome + (error != null ? ", " + error.code() + " " + error.location() : "")
                + (reason.isEmpty() ? "" : ", " + reason) + "]";
    }
}
