package be.recordbroker.access;

/** Records a decision where the patient can read it; throws when it cannot (the access is then denied). */
public interface AccessAuditor {

    void record(AccessRequest request, AccessDecision decision);

    /**
     * Starts recording a decision; {@link Recording#await()} returns once the row is written, or throws. Lets a caller
     * prepare its answer while the row is written (it must not answer before). Default: records at once.
     */
    default Recording start(AccessRequest request, AccessDecision decision) {
        record(request, decision);
        return () -> { };
    }

    /**
     * Starts recording a decision for a caller that works on a while before it waits for the row (a search asking its
     * hubs): the auditor may hold the row briefly to share its commit with others. Default: {@link #start}.
     */
    default Recording startDeferred(AccessRequest request, AccessDecision decision) {
        return start(request, decision);
    }

    /** A decision being recorded. */
    @FunctionalInterface
    interface Recording {
        /** Returns once the row is written; throws if it was not (within the auditor's timeout). */
        void await();
    }
}
