package be.recordbroker.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refusals of callers with no valid identity: counted ({@code rb.access.unauthenticated}, in Prometheus {@code rb_access_unauthenticated_total{face}}) and logged at most
 * once per {@link #LOG_INTERVAL_NANOS} per face with the count since the last line — not written one row each to a
 * patient's audit trail. An anonymous caller is nobody the patient could hold to account, and a flood of them must
 * neither fill the trail nor queue in front of identified callers' rows at the audit writer.
 */
public final class AnonymousRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(AnonymousRefusals.class);
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private record PerFace(Counter counter, LongAdder total, LongAdder sinceLog, AtomicLong lastLog) {
    }

    private final MeterRegistry registry;
    private final Map<String, PerFace> faces = new ConcurrentHashMap<>();

    /** @param registry where the counter lives; null counts in memory only (tests, benchmarks) */
    public AnonymousRefusals(MeterRegistry registry) {
        this.registry = registry;
    }

    public void refused(AccessRequest request) {
        String face = request.face();
        PerFace f = faces.computeIfAbsent(face, k -> new PerFace(registry == null ? null
                : Counter.builder("rb.access.unauthenticated").description("accesses refused for want of a valid identity")
                        .tag("face", k).register(registry), new LongAdder(), new LongAdder(),
                new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS)));
        if (f.counter() != null) {
            f.counter().increment();
        }
        f.total().increment();
        f.sinceLog().increment();
        long now = System.nanoTime();
        long last = f.lastLog().get();
        if (now - last >= LOG_INTERVAL_NANOS && f.lastLog().compareAndSet(last, now)) {
            LOG.warn("{} unauthenticated access(es) refused on face {} in the last {} s (not written to the audit trail)",
                    f.sinceLog().sumThenReset(), face, Math.min(LOG_INTERVAL_NANOS, now - last) / 1_000_000_000L);
        }
    }

    /** Refusals counted on a face since start. */
    public long count(String face) {
        PerFace f = faces.get(face);
        return f == null ? 0 : f.total().sum();
    }
}
