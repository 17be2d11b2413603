package be.recordbroker.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate every face calls: decides, then writes the decision to the audit trail before anything is returned. An
 * allowed access whose audit row cannot be written is denied ({@code AUDIT_UNAVAILABLE}): nothing leaves unrecorded.
 */
public final class AuditedAccessGate {

    private static final Logger LOG = LoggerFactory.getLogger(AuditedAccessGate.class);

    private final AccessGate gate;
    private final AccessAuditor auditor;

    public AuditedAccessGate(AccessGate gate, AccessAuditor auditor) {
        this.gate = gate;
        this.auditor = auditor;
    }

    public AccessDecision decide(AccessRequest request) {
        AccessDecision decision = gate.decide(request);
        try {
            auditor.record(request, decision);
        } catch (RuntimeException e) {
            LOG.error("audit write failed for request {} ({}): access denied", request.requestId(),
                    e.getClass().getSimpleName());
            return decision.allowed()
                    ? AccessDecision.deny(AccessReason.AUDIT_UNAVAILABLE, "the access could not be recorded")
                    : decision;
        }
        return decision;
    }

    /** The decision logic itself (search filtering uses {@link AccessGate#listable}). */
    public AccessGate gate() {
        return gate;
    }
}
