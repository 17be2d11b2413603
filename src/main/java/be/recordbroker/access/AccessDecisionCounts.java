package be.recordbroker.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every answered access decision, {@code rb.access.decisions{action,reason,outcome}} (Prometheus
 * {@code rb_access_decisions_total}): what the gate decided after the audit row, so {@code AUDIT_UNAVAILABLE} shows.
 * Tags are the enums only (4 actions × {@link AccessReason}s): bounded, and nothing of the patient or caller. The
 * counters are built up front into an array, so counting is an index and an increment on every request.
 */
public final class AccessDecisionCounts {

    private final Counter[][] counters;

    /** @param registry where the counters live; null counts nothing (tests, benchmarks) */
    public AccessDecisionCounts(MeterRegistry registry) {
        if (registry == null) {
            counters = null;
            return;
        }
        AccessAction[] actions = AccessAction.values();
        AccessReason[] reasons = AccessReason.values();
        counters = new Counter[actions.length][reasons.length];
        for (AccessAction action : actions) {
            for (AccessReason reason : reasons) {
                counters[action.ordinal()][reason.ordinal()] = Counter.builder("rb.access.decisions")
                        .description("access decisions answered, by action and reason (after the audit row)")
                        .tag("action", action.code()).tag("reason", reason.name())
                        .tag("outcome", reason.allows() ? "allowed" : "denied")
                        .register(registry);
            }
        }
    }

    public void count(AccessRequest request, AccessDecision decision) {
        if (counters != null) {
            counters[request.action().ordinal()][decision.reason().ordinal()].increment();
        }
    }
}
