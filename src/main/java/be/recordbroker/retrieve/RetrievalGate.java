package be.recordbroker.retrieve;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.domain.DocumentId;

/**
 * The gate's steps of a retrieval, each decided and written to the audit trail before the next one may happen:
 * <ol>
 *   <li>{@link #authorisePatient} ({@code locate} row): may this caller see this patient's documents at all — taken
 *       before any hub is asked where the document is, so a caller refused here gets the same answer whether the
 *       document exists or not, and no hub hears of him;</li>
 *   <li>{@link #locateFailed} ({@code locate} row): the hub does not list the document, or cannot be asked;</li>
 *   <li>{@link #authoriseDocument} ({@code read} row): the matrix and the document's access rights, once the hub gave
 *       the document's type.</li>
 * </ol>
 * The rows name the document by the id the caller gave (sealed: no SSIN in it).
 */
public class RetrievalGate {

    /** The type of a document not located yet: the patient-level decision does not look at it. */
    static final String UNKNOWN_TYPE = "unknown";

    private final AuditedAccessGate gate;

    public RetrievalGate(AuditedAccessGate gate) {
        this.gate = gate;
    }

    /** @throws RetrievalDenied when the caller may not see this patient's documents (already audited) */
    public Retrieval authorisePatient(Retrieval retrieval) {
        AccessDecision decision = gate.decidePatient(request(retrieval, AccessAction.LOCATE));
        if (!decision.allowed()) {
            throw new RetrievalDenied(decision, retrieval.request().authenticationError());
        }
        return retrieval.allowed(decision);
    }

    /** Records why the document could not be located (after {@link #authorisePatient} allowed the caller). */
    public void locateFailed(Retrieval retrieval, RetrievalFailure failure) {
        AccessReason reason = switch (failure.reason()) {
            case UNKNOWN_HUB -> AccessReason.UNKNOWN_HUB;
            case UNKNOWN_DOCUMENT -> AccessReason.UNKNOWN_DOCUMENT;
            default -> AccessReason.FACTS_UNAVAILABLE;
        };
        gate.record(request(retrieval, AccessAction.LOCATE), AccessDecision.deny(reason, failure.getMessage()));
    }

    /** @throws RetrievalDenied when the document itself may not be read (already audited) */
    public Retrieval authoriseDocument(Retrieval retrieval) {
        AccessDecision decision = gate.decideDocument(request(retrieval, AccessAction.READ), retrieval.decision());
        if (!decision.allowed()) {
            throw new RetrievalDenied(decision, retrieval.request().authenticationError());
        }
        return retrieval.allowed(decision);
    }

    /** Both steps at once (a caller that located the document some other way). */
    public Retrieval authorise(Retrieval retrieval) {
        return authoriseDocument(authorisePatient(retrieval));
    }

    private static AccessRequest request(Retrieval retrieval, AccessAction action) {
        RetrieveRequest request = retrieval.request();
        DocumentId id = retrieval.id();
        DocumentRef document = new DocumentRef(retrieval.hub() == null ? id.hubEhpId() : retrieval.hub().code(),
                id.sourceLabel(), id.localId(), retrieval.entry() == null ? UNKNOWN_TYPE : retrieval.entry().type(),
                request.documentId());
        return new AccessRequest(request.caller(), id.patientSsin(), action, document, null, request.breakTheGlass(),
                request.face(), request.requestId(), request.at(),
                request.client());
    }
}
