package be.recordbroker.ingest;

import static be.recordbroker.ingest.Hl7TestMessages.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;


import be.recordbroker.TestMllp;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.TestSpans;

/**
 * Tracing of an HL7 message (issue 16): the MLLP listener's trace goes with the message through the ingest queue
 * (traceparent, a JMS property), so the declaring consumer's spans and the hub call are in the same trace.
 */
class IngestTracingTest extends SandboxIntegrationTest {

    static final AttributeKey<String> PEER = AttributeKey.stringKey("peer");

    @Autowired
    TestSpans spans;

    @Test
    void theDeclarationOfAnHl7MessageIsInTheMllpMessagesTrace() throws Exception {
        spans.clear();
        String ack = TestMllp.send(MLLP_PORT, adt("SANDBOX-GNT", "A28", controlId("TRC"), newSsin()));
        assertThat(ack).contains("MSA|AA");

        // the declaring consumer's span (ends once the hub has answered)
        List<SpanData> declared = spans.await(s -> "hl7 declare".equals(s.getName()), 1);
        assertThat(declared).as(spans.describe(s -> true)).hasSize(1);
        String traceId = declared.get(0).getTraceId();
        List<SpanData> trace = spans.all().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        assertThat(trace).as("the MLLP listener's span is in the declaration's trace\n" + spans.describe(s -> true))
                .anySatisfy(s -> assertThat(s.getName() + s.getAttributes().asMap()).containsIgnoringCase("mllp"));
        assertThat(trace).as("and the hub call of the declaration (PutPatient at the hospital's hub)")
                .anySatisfy(s -> assertThat(s.getAttributes().get(PEER)).startsWith("hub:"));
        Set<String> roots = trace.stream().filter(s -> !s.getParentSpanContext().isValid()).map(SpanData::getName)
                .collect(Collectors.toSet());
        assertThat(roots).as("one root: the MLLP message").hasSize(1);
    }
}
