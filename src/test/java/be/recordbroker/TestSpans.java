package be.recordbroker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The spans the broker ended, in memory (the newest 20,000: the shared test context runs every end-to-end class), for
 * the tracing tests. A simple (synchronous) processor: a span is here as soon as it ends.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestSpans {

    private static final int KEEP = 20_000;
    private final ConcurrentLinkedDeque<SpanData> spans = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    @Bean
    SpanProcessor testSpanProcessor() {
        // not a SpanExporter bean itself: Spring Boot would export to it a second time, through its batch processor
        return SimpleSpanProcessor.create(new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> batch) {
                return TestSpans.this.export(batch);
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        });
    }

    CompletableResultCode export(Collection<SpanData> batch) {
        for (SpanData span : batch) {
            spans.addLast(span);
            if (size.incrementAndGet() > KEEP && spans.pollFirst() != null) {
                size.decrementAndGet();
            }
        }
        return CompletableResultCode.ofSuccess();
    }

    public List<SpanData> all() {
        return new ArrayList<>(spans);
    }

    /** The ended spans {@code which} match, once there are at least {@code atLeast} of them (10 s at most). */
    public List<SpanData> await(java.util.function.Predicate<SpanData> which, int atLeast) {
        long until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        List<SpanData> found;
        do {
            found = all().stream().filter(which).toList();
            if (found.size() >= atLeast) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < until);
        return found;
    }

    /** One line per span (ids, kind, name, attributes): what a failing assertion looked at. */
    public String describe(java.util.function.Predicate<SpanData> which) {
        StringBuilder text = new StringBuilder();
        all().stream().filter(which).forEach(s -> text.append(s.getTraceId()).append(' ').append(s.getSpanId())
                .append(" <- ").append(s.getParentSpanId()).append(' ').append(s.getKind()).append(' ')
                .append(s.getName()).append(' ').append(s.getAttributes().asMap()).append('\n'));
        return text.toString();
    }

    public void clear() {
        spans.clear();
        size.set(0);
    }

}
