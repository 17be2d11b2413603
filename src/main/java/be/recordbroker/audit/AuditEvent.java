package be.recordbroker.audit;

import java.time.Instant;

/**
 * One row of the audit trail as stored: who (actor fields, all null when the caller was not authenticated), which
 * patient (null when the SSIN given was invalid), what ({@code action}, the document or the search), through which
 * face and calling software ({@code client}), the decision and its reason code, the break-the-glass justification,
 * and the row's place in the chain: {@code keyId} names the HMAC key its hash was made with (null: a row from before
 * the chain was keyed, plain SHA-256; see {@link AuditKeys}).
 */
public record AuditEvent(long seq, Instant recordedAt, String requestId, String face,
                         String actorNihii, String actorSsin, String actorProfession, String actorName,
                         String patientSsin, String action, String documentId, String query,
                         String decision, String reason, String breakTheGlass, String client,
                         String prevHash, String rowHash, String keyId) {

    public static final String ALLOW = "allow";
    public static final String DENY = "deny";

    /** A row not keyed (before the chain was keyed, or not yet chained). */
    public AuditEvent(long seq, Instant recordedAt, String requestId, String face,
                      String actorNihii, String actorSsin, String actorProfession, String actorName,
                      String patientSsin, String action, String documentId, String query,
                      String decision, String reason, String breakTheGlass, String client,
                      String prevHash, String rowHash) {
        this(seq, recordedAt, requestId, face, actorNihii, actorSsin, actorProfession, actorName, patientSsin, action,
                documentId, query, decision, reason, breakTheGlass, client, prevHash, rowHash, null);
    }

    /** The same row with its place in the chain set. */
    AuditEvent chained(long seq, String prevHash, String rowHash) {
        return new AuditEvent(seq, recordedAt, requestId, face, actorNihii, actorSsin, actorProfession, actorName,
                patientSsin, action, documentId, query, decision, reason, breakTheGlass, client, prevHash, rowHash,
                keyId);
    }

    /** The same row to be hashed with the key {@code id} (null: unkeyed). */
    AuditEvent keyed(String id) {
        return new AuditEvent(seq, recordedAt, requestId, face, actorNihii, actorSsin, actorProfession, actorName,
                patientSsin, action, documentId, query, decision, reason, breakTheGlass, client, prevHash, rowHash, id);
    }
}
