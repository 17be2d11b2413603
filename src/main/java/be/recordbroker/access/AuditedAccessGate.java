package be.recordbroker.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate every face calls: decides, then writes the decision to the audit trail before anything is returned. An
 * allowed access whose audit row cannot be written is denied ({@code AUDIT_UNAVAILABLE}): nothing leaves unrecorded.
 * Refusals of callers with no valid identity are not written to the trail but counted ({@link AnonymousRefusals}).
 */
public final class AuditedAccessGate {

    private static final Logger LOG = LoggerFactory.getLogger(AuditedAccessGate.class);

    private final AccessGate gate;
    private final AccessAuditor auditor;
    private final AnonymousRefusals anonymous;
    private final AccessDecisionCounts decisions;

    public AuditedAccessGate(AccessGate gate, AccessAuditor auditor) {
        this(gate, auditor, new AnonymousRefusals(null));
    }

    public AuditedAccessGate(AccessGate gate, AccessAuditor auditor, AnonymousRefusals anonymous) {
        this(gate, auditor, anonymous, new AccessDecisionCounts(null));
    }

    public AuditedAccessGate(AccessGate gate, AccessAuditor auditor, AnonymousRefusals anonymous,
                             AccessDecisionCounts decisions) {
        this.gate = gate;
        this.auditor = auditor;
        this.anonymous = anonymous;
        this.decisions = decisions;
    }

    /** Decides and records; returns once the audit row is written. */
    public AccessDecision decide(AccessRequest request) {
        return recording(request, gate.decide(request), false).recorded();
    }

    /**
     * Decides and starts writing the audit row without waiting for it: a search can ask its hubs meanwhile (the
     * commit then overlaps the hubs' latency instead of adding to it). Nothing may be answered before
     * {@link PendingDecision#recorded()}, which waits for the row and is the decision to answer with.
     */
    public PendingDecision decideWhileRecording(AccessRequest request) {
        return recording(request, gate.decide(request), true);
    }

    /**
     * {@link AccessGate#decidePatient} recorded (the request's action is what the row says, e.g. {@code locate}):
     * returns once the row is written.
     */
    public AccessDecision decidePatient(AccessRequest request) {
        return record(request, gate.decidePatient(request));
    }

    /** {@link AccessGate#decideDocument} after an allowed {@code patientDecision}, recorded. */
    public AccessDecision decideDocument(AccessRequest request, AccessDecision patientDecision) {
        return record(request, gate.decideDocument(request, patientDecision));
    }

    /**
     * Records a decision taken outside the gate about this request (a retrieval's failed locate): returns it once the
     * row is written, or {@code AUDIT_UNAVAILABLE} for an allowing one whose row could not be.
     */
    public AccessDecision record(AccessRequest request, AccessDecision decision) {
        return recording(request, decision, false).recorded();
    }

    /**
     * Starts the decision's audit row; an anonymous request gets none.
     *
     * @param deferred the caller works on before it waits for the row (the auditor may hold it to share a commit)
     */
    private PendingDecision recording(AccessRequest request, AccessDecision decision, boolean deferred) {
        if (request.caller() == null) {
            // nobody to hold to account: counted and logged rate-limited, not a row in a patient's trail (a flood of
            // them would fill it and queue ahead of identified callers' rows)
            anonymous.refused(request);
            return new PendingDecision(request, decision, () -> { }, decisions);
        }
        AccessAuditor.Recording recording;
        try {
            recording = deferred ? auditor.startDeferred(request, decision) : auditor.start(request, decision);
        } catch (RuntimeException e) {
            recording = () -> {
                throw e;
            };
        }
        return new PendingDecision(request, decision, recording, decisions);
    }

    /** The decision logic itself (search filtering uses {@link AccessGate#listable}). */
    public AccessGate gate() {
        return gate;
    }

    /** The count of unauthenticated refusals (not audited). */
    public AnonymousRefusals anonymous() {
        return anonymous;
    }

    /** A decision whose audit row is being written. */
    public static final class PendingDecision {
        private final AccessRequest request;
        private final AccessDecision decided;
        private final AccessAuditor.Recording recording;
        private final AccessDecisionCounts decisions;
        private AccessDecision recorded;

        private PendingDecision(AccessRequest request, AccessDecision decided, AccessAuditor.Recording recording,
                                AccessDecisionCounts decisions) {
            this.request = request;
            this.decided = decided;
            this.recording = recording;
            this.decisions = decisions;
        }

        /** The gate's decision, not yet recorded: whether to start work, never what to answer. */
        public AccessDecision decided() {
            return decided;
        }

        /** Waits for the audit row: the decision to answer with (denied if the row could not be written). */
        public AccessDecision recorded() {
            if (recorded == null) {
                try {
                    recording.await();
                    recorded = decided;
                } catch (RuntimeException e) {
                    LOG.error("audit write failed for request {} ({}): access denied", request.requestId(),
                            e.getClass().getSimpleName());
                    recorded = decided.allowed()
                            ? AccessDecision.deny(AccessReason.AUDIT_UNAVAILABLE, "the access could not be recorded")
                            : decided;
                }
                decisions.count(request, recorded);
            }
            return recorded;
        }
    }
}
