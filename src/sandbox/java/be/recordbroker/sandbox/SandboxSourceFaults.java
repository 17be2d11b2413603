package be.recordbroker.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-hospital fault knobs of the sandbox document sources (REST {@code /sandbox/hospitals/{facility}/documents/...}
 * and SOAP {@code /sandbox/hospitals/{facility}/kmehr}), set through {@code PUT /sandbox/hospitals/{facility}/faults}:
 * how the broker's retrieval meets a slow, failing or dying source.
 */
public final class SandboxSourceFaults {

    /**
     * @param latencyMs      added before the source answers (0..120000)
     * @param errorRate      share of requests answered HTTP 500 (0.0..1.0)
     * @param down           the source answers HTTP 503 at once
     * @param failAfterBytes the source drops the connection after this many body bytes (0: never)
     */
    public record Faults(long latencyMs, double errorRate, boolean down, long failAfterBytes) {
        public static final Faults NONE = new Faults(0, 0.0, false, 0);

        public Faults {
            if (latencyMs < 0 || latencyMs > 120_000) {
                throw new IllegalArgumentException("latencyMs must be between 0 and 120000");
            }
            if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
                throw new IllegalArgumentException("errorRate must be between 0.0 and 1.0");
            }
            if (failAfterBytes < 0) {
                throw new IllegalArgumentException("failAfterBytes must not be negative");
            }
        }
    }

    private final Map<String, Faults> byHospital = new ConcurrentHashMap<>();

    public Faults of(String facilityId) {
        return byHospital.getOrDefault(facilityId, Faults.NONE);
    }

    public void set(String facilityId, Faults faults) {
        byHospital.put(facilityId, faults);
    }

    public void clearAll() {
        byHospital.clear();
    }
}
