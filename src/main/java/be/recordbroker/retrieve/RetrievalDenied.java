package be.recordbroker.retrieve;

import be.recordbroker.access.AccessDecision;

/** The gate refused the read (the decision is already in the audit trail). */
public class RetrievalDenied extends RuntimeException {

    private final AccessDecision decision;
    private final String authenticationError;

    public RetrievalDenied(AccessDecision decision, String authenticationError) {
        super(decision.reason().name() + ": " + decision.detail(), null, false, false);
        this.decision = decision;
        this.authenticationError = authenticationError;
    }

    public AccessDecision decision() {
        return decision;
    }

    /** Why the caller could not be authenticated (REST: the bearer token's problem), or null. */
    public String authenticationError() {
        return authenticationError;
    }
}
