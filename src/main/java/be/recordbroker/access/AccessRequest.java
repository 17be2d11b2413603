package be.recordbroker.access;

import java.time.Instant;
import java.util.Objects;

import be.recordbroker.domain.Professional;

/**
 * One access to decide: who ({@code caller}, null when the caller could not be authenticated), about which patient
 * (the SSIN as given, validated by the gate), what for, and, for a document read, which document.
 *
 * @param breakTheGlass the caller's emergency justification, null when none was given
 * @param query         for a search, what was asked (filters, scope), written to the audit trail; else null
 * @param face          {@code rest}, {@code soap} or {@code fhir}: written to the audit trail
 * @param requestId     the request's correlation id, written to the audit trail
 * @param client        the authenticated software the request came through (a SOAP caller, a token's client), null
 *                      when none is known; written to the audit trail
 */
public record AccessRequest(Professional caller, String patientSsin, AccessAction action, DocumentRef document,
                            String query, String breakTheGlass, String face, String requestId, Instant at,
                            String client) {

    /** A request with no known calling software. */
    public AccessRequest(Professional caller, String patientSsin, AccessAction action, DocumentRef document,
                         String query, String breakTheGlass, String face, String requestId, Instant at) {
        this(caller, patientSsin, action, document, query, breakTheGlass, face, requestId, at, null);
    }

    public AccessRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(face, "face");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
        if ((action == AccessAction.READ || action == AccessAction.LOCATE) && document == null) {
            throw new IllegalArgumentException("a read or locate names its document");
        }
    }
}
