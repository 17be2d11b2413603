package be.recordbroker.audit;

import java.time.Instant;

/**
 * One row of the audit trail as stored: who (actor fields, all null when the caller was not authenticated), which
 * patient (null when the SSIN given was invalid), what ({@code action}, the document or the search), through which
 * face and calling software ({@code client}), the decision and its reason code, the break-the-glass justification,
 * and the row's place in the chain.
 */
public record AuditEvent(long seq, Instant recordedAt, String requestId, String face,
                         String actorNihii, String actorSsin, String actorProfession, String actorName,
                         String patientSsin, String action, String documentId, String query,
                         String decision, String reason, String breakTheGlass, String client,
                         String prevHash, String rowHash) {

    public static final String ALLOW = "allow";
    public static final String DENY = "deny";

    /** The same row with its place in the chain set. */
    AuditEvent chained(long seq, String prevHash, String rowHash) {
        return new AuditEvent(seq, recordedAt, requestId, face, actorNihii, actorSsin, actorProfession, actorName,
                patientSsin, action, documentId, query, decision, reason, breakTheGlass, client, prevHash, rowHash);
    }
}
