package be.recordbroker.retrieve;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Retrieval metrics: {@code rb_retrieve_seconds{face,route,outcome}} (from the request to the last byte handed to
 * the caller) and {@code rb_retrieve_bytes_total{face,route,outcome}} (content bytes sent). {@code route} is
 * {@code rest-source}, {@code soap-source}, {@code hub-relay}, or {@code none} when the request ended before the
 * document was located; {@code outcome} is {@code ok}, {@code denied}, a {@link RetrievalFailure.Reason#outcome()},
 * {@code aborted} (the source failed mid-stream) or {@code client-gone}.
 */
public class RetrievalMetrics {

    public static final String OK = "ok";
    public static final String DENIED = "denied";
    public static final String ABORTED = "aborted";
    public static final String CLIENT_GONE = "client-gone";

    private final MeterRegistry registry;

    public RetrievalMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String face, String route, String outcome, long bytes, long nanos) {
        Timer.builder("rb.retrieve").description("document retrievals, request to last byte")
                .tags("face", face, "route", route, "outcome", outcome).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (bytes > 0) {
            Counter.builder("rb.retrieve.bytes").description("document bytes sent to callers").baseUnit("bytes")
                    .tags("face", face, "route", route, "outcome", outcome).register(registry).increment(bytes);
        }
    }
}
