package be.recordbroker.access;

/**
 * Why the gate allowed or denied an access: the stable {@code reason} code of REST problems, SOAP errors and audit
 * rows (docs/access-and-audit.md). Each denial carries the HTTP status a REST face answers with.
 */
public enum AccessReason {

    /** A professional with an active therapeutic link of a type allowed for the profession. */
    THERAPEUTIC_LINK(true, 200),
    /** A professional without a link, allowed by a justified break-the-glass. */
    BREAK_THE_GLASS(true, 200),
    /** The patient, acting for himself. */
    PATIENT_HIMSELF(true, 200),
    /** A citizen acting for the patient: a parent for a young child, a mandatary for his mandator (docs/domain.md, R8). */
    REPRESENTATIVE(true, 200),

    UNAUTHENTICATED(false, 401),
    INVALID_SSIN(false, 400),
    NO_CONSENT(false, 403),
    EXCLUDED(false, 403),
    NO_THERAPEUTIC_LINK(false, 403),
    BTG_REASON_INVALID(false, 400),
    /** A break-the-glass by a profession not allowed to use the emergency procedure. */
    BTG_NOT_ALLOWED(false, 403),
    MATRIX_DENIED(false, 403),
    ACCESS_RIGHT_DENIED(false, 403),
    /** A citizen asking for somebody else's data who does not represent him either. */
    NOT_THE_PATIENT(false, 403),
    /** A SOAP caller (software) spoke for a person outside its {@code speaks-for} allowlist. */
    CALLER_NOT_ALLOWED(false, 403),
    /** A professional asking for a patient's audit trail: it is the patient's (and his representatives') only. */
    AUDIT_TRAIL_PATIENT_ONLY(false, 403),
    /** A citizen registered for the patient whose registration does not hold: the child is too old, the mandate ended. */
    NOT_A_REPRESENTATIVE(false, 403),
    /** Retrieval: the caller passed the patient-level gate, and the document's hub lists no such document. */
    UNKNOWN_DOCUMENT(false, 404),
    /** Retrieval: the caller passed the patient-level gate, and the id names a hub the network does not have. */
    UNKNOWN_HUB(false, 404),
    /** A fact (consent, link, exclusion, access right) could not be fetched: fail closed. */
    FACTS_UNAVAILABLE(false, 503),
    /** The audit row could not be written: fail closed. */
    AUDIT_UNAVAILABLE(false, 503);

    private final boolean allows;
    private final int httpStatus;

    AccessReason(boolean allows, int httpStatus) {
        this.allows = allows;
        this.httpStatus = httpStatus;
    }

    public boolean allows() {
        return allows;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
