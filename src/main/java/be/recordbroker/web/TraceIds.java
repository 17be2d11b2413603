package be.recordbroker.web;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The trace id of the work on this thread (W3C, 32 hex digits), as answers carry it ({@code traceId} in problem+json,
 * SOAP faults): the same id as in the log lines (MDC {@code traceId}) and the exported spans. Read from
 * OpenTelemetry's current context, which Micrometer Tracing's OpenTelemetry bridge keeps in step with the current
 * span; present even when the trace is not sampled.
 */
public final class TraceIds {

    private TraceIds() {
    }

    /** The current trace id, or null when no span is current. */
    public static String current() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
