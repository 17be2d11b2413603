package be.recordbroker.retrieve;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.domain.DocumentId;

/**
 * The gate's step of a retrieval: a {@code read} of the document, decided and written to the audit trail before any
 * source is asked for a byte.
 */
public class RetrievalGate {

    /** The type of a document nobody looked up (an unauthenticated caller): the gate refuses before the matrix. */
    static final String UNKNOWN_TYPE = "unknown";

    private final AuditedAccessGate gate;

    public RetrievalGate(AuditedAccessGate gate) {
        this.gate = gate;
    }

    /** @throws RetrievalDenied when the gate refuses (already audited) */
    public Retrieval authorise(Retrieval retrieval) {
        RetrieveRequest request = retrieval.request();
        DocumentId id = retrieval.id();
        DocumentRef document = new DocumentRef(retrieval.hub() == null ? id.hubEhpId() : retrieval.hub().code(),
                id.sourceLabel(), id.localId(), retrieval.entry() == null ? UNKNOWN_TYPE : retrieval.entry().type(),
                id.encode());
        AccessDecision decision = gate.decide(new AccessRequest(request.caller(), id.patientSsin(), AccessAction.READ,
                document, null, request.breakTheGlass(), request.face(), request.requestId(), request.at(),
                request.client()));
        if (!decision.allowed()) {
            throw new RetrievalDenied(decision, request.authenticationError());
        }
        return retrieval.allowed(decision);
    }
}
