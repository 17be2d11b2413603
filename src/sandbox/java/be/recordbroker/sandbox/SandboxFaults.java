package be.recordbroker.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-hub fault knobs, set at run time through {@code PUT /sandbox/hubs/{code}/faults}. */
public final class SandboxFaults {

    /**
     * @param latencyMs added before the hub answers (0..120000)
     * @param errorRate share of calls answered with a SOAP fault (0.0..1.0)
     * @param down      the hub answers nothing useful: HTTP 503 at once
     * @param rejectsDeclarations the hub answers every DeclareTransaction with {@code iscomplete=false} and a KMEHR
     *                  error, as a hub refusing a declaration does (the broker's permanent failure: a dead letter)
     */
    public record Faults(long latencyMs, double errorRate, boolean down, boolean rejectsDeclarations) {
        public static final Faults NONE = new Faults(0, 0.0, false);

        public Faults(long latencyMs, double errorRate, boolean down) {
            this(latencyMs, errorRate, down, false);
        }

        public Faults {
            if (latencyMs < 0 || latencyMs > 120_000) {
                throw new IllegalArgumentException("latencyMs must be between 0 and 120000");
            }
            if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
                throw new IllegalArgumentException("errorRate must be between 0.0 and 1.0");
            }
        }
    }

    /** The key of the metahub's faults. */
    public static final String METAHUB = "metahub";

    private final Map<String, Faults> byHub = new ConcurrentHashMap<>();

    public Faults of(String hub) {
        return byHub.getOrDefault(hub, Faults.NONE);
    }

    public void set(String hub, Faults faults) {
        byHub.put(hub, faults);
    }

    public void clearAll() {
        byHub.clear();
    }
}
