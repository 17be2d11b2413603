package be.recordbroker.admission;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One lane of admission control (searches, or retrievals): at most {@code maxInFlight} at work, at most
 * {@code maxQueued} more waiting up to {@code queueTimeout} for a place; anything beyond is refused at once with
 * {@link Overloaded}. Two Resilience4j semaphore bulkheads make it: the outer one ({@code <lane>-admitted},
 * in flight + queued, no wait) bounds the queue's length, the inner one ({@code <lane>}, in flight, waits up to the
 * queue timeout) the work. A refusal is counted in {@code rb_admission_refused_total{lane,face,cause}}
 * (cause {@code queue-full} or {@code queue-timeout}); the time spent queued in {@code rb_admission_queued_seconds}.
 *
 * <p>Use: {@code try (Admission.Permit permit = admission.enter("rest")) { ... }} — or {@link AdmissionFilter} in front
 * of a servlet face.
 */
public final class Admission {

    private final String lane;
    private final Bulkhead admitted;
    private final Bulkhead inFlight;
    private final long retryAfterSeconds;
    private final Duration queueTimeout;
    private final MeterRegistry meters;
    private final Timer queued;

    public Admission(String lane, AdmissionProperties.Lane settings, Duration retryAfter, BulkheadRegistry bulkheads,
                     MeterRegistry meters) {
        if (settings.getMaxInFlight() < 1 || settings.getMaxQueued() < 0 || settings.getQueueTimeout().isNegative()) {
            throw new IllegalArgumentException("record-broker.admission." + lane
                    + ": max-in-flight >= 1, max-queued >= 0 and queue-timeout >= 0 are needed");
        }
        this.lane = lane;
        this.queueTimeout = settings.getQueueTimeout();
        this.admitted = bulkheads.bulkhead(lane + "-admitted", BulkheadConfig.custom()
                .maxConcurrentCalls(settings.getMaxInFlight() + settings.getMaxQueued())
                .maxWaitDuration(Duration.ZERO).build());
        this.inFlight = bulkheads.bulkhead(lane, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.getMaxInFlight())
                .maxWaitDuration(settings.getQueueTimeout()).build());
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        this.meters = meters;
        this.queued = Timer.builder("rb.admission.queued").description("time a request waited for a place")
                .tag("lane", lane).register(meters);
        for (String face : new String[] {"rest", "soap"}) { // present (at 0) before the first refusal
            refusals(face, "queue-full");
            refusals(face, "queue-timeout");
        }
    }

    /**
     * A place for one request, once there is one.
     *
     * @param face {@code rest}, {@code soap}, {@code fhir}: the metric's label (a fixed set: never a caller's value)
     * @throws Overloaded when the queue is full, or no place came free within the queue timeout
     */
    public Permit enter(String face) {
        if (!admitted.tryAcquirePermission()) {
            refusals(face, "queue-full").increment();
            throw new Overloaded(lane, retryAfterSeconds, "queue-full");
        }
        long start = System.nanoTime();
        boolean entered;
        try {
            entered = inFlight.tryAcquirePermission(); // waits up to the queue timeout
        } catch (RuntimeException e) { // interrupted: the place is not held
            admitted.onComplete();
            throw e;
        }
        queued.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (!entered) {
            admitted.onComplete();
            refusals(face, "queue-timeout").increment();
            throw new Overloaded(lane, retryAfterSeconds, "queue-timeout");
        }
        return new Permit();
    }

    /** Requests at work now (for tests and the warm-up). */
    public int inFlight() {
        return inFlight.getBulkheadConfig().getMaxConcurrentCalls() - inFlight.getMetrics().getAvailableConcurrentCalls();
    }

    public String lane() {
        return lane;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Duration queueTimeout() {
        return queueTimeout;
    }

    private Counter refusals(String face, String cause) {
        return Counter.builder("rb.admission.refused").description("requests answered 503 (overloaded)")
                .tag("lane", lane).tag("face", face).tag("cause", cause).register(meters);
    }

    /** A held place; closing it (once) frees it. */
    public final class Permit implements AutoCloseable {
        private boolean closed;

        private Permit() {
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                inFlight.onComplete();
                admitted.onComplete();
            }
        }
    }

    /** The broker is too busy for this request now: answer 503 with {@code Retry-After} (or the face's equivalent). */
    public static final class Overloaded extends RuntimeException {
        private final transient long retryAfterSeconds;
        private final String cause;

        Overloaded(String lane, long retryAfterSeconds, String cause) {
            super("record-broker is at capacity for " + (lane.equals("search") ? "searches" : "retrievals")
                    + " (" + cause + "); retry after " + retryAfterSeconds + " s", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
            this.cause = cause;
        }

        /** Refused without waiting: the queue was full (not: it waited the queue timeout in vain). */
        public boolean queueFull() {
            return "queue-full".equals(cause);
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        /** The stable reason code (problem+json {@code reason}, SOAP fault string prefix). */
        public String reason() {
            return "OVERLOADED";
        }
    }
}
