package be.recordbroker.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.TestSpans;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * Tracing of the federated search (issue 16): one trace per request, a span per hub asked (a slow one included), the
 * trace id of a refused request in its problem+json.
 */
class SearchTracingTest extends SandboxIntegrationTest {

    static final String OLIVIA = FederatedSearchIntegrationTest.OLIVIA; // known to rsb and cozo
    static final String GP = FederatedSearchIntegrationTest.GP;
    static final AttributeKey<String> PEER = AttributeKey.stringKey("peer");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");

    @Autowired
    TestSpans spans;
    @Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @BeforeEach
    void closedCircuitsAndNoSpans() {
        breakers.getAllCircuitBreakers().forEach(io.github.resilience4j.circuitbreaker.CircuitBreaker::reset);
        link(OLIVIA, GP, "gpconsultation", LocalDate.now().minusDays(10));
        spans.clear();
    }

    @AfterEach
    void noFaults() {
        faults.clearAll();
    }

    @Test
    void aSearchWithOneHubSlowIsOneTraceWithASpanPerHub() throws Exception {
        faults.set("cozo", new SandboxFaults.Faults(600, 0.0, false));
        HttpResponse<String> response = get("/api/v1/patients/" + OLIVIA + "/documents",
                token(GP, "persphysician", "An Verstraeten"), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        List<SpanData> hubCalls = awaitSpans(s -> "GetTransactionList".equals(s.getAttributes().get(OPERATION)), 2);
        Set<String> traces = hubCalls.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
        assertThat(traces).as("the hub calls of one search are one trace").hasSize(1);
        String traceId = traces.iterator().next();
        assertThat(hubCalls).extracting(s -> s.getAttributes().get(PEER)).containsExactlyInAnyOrder("hub:rsb", "hub:cozo");
        SpanData slow = hubCalls.stream().filter(s -> "hub:cozo".equals(s.getAttributes().get(PEER))).findFirst().orElseThrow();
        assertThat(Duration.ofNanos(slow.getEndEpochNanos() - slow.getStartEpochNanos()))
                .as("the slow hub's span covers its delay").isGreaterThanOrEqualTo(Duration.ofMillis(600));
        // the request's server span ends just after the answer is written: wait for it, then read the whole trace
        awaitSpans(s -> s.getTraceId().equals(traceId) && !s.getParentSpanContext().isValid(), 1);
        List<SpanData> trace = awaitSpans(s -> s.getTraceId().equals(traceId), 1);
        // the metahub call is in it, and the request's own server span is its one root
        assertThat(trace).extracting(s -> s.getAttributes().get(PEER)).contains("metahub");
        assertThat(trace).filteredOn(s -> !s.getParentSpanContext().isValid()).singleElement()
                .satisfies(root -> assertThat(root.getName()).contains("/api/v1/patients/{ssin}/documents"));
        // and the only span that names the request: the REST route runs inside it, with no server span of its own
        assertThat(trace).as(spans.describe(s -> s.getTraceId().equals(traceId)))
                .filteredOn(s -> s.getName().contains("/api/v1/patients/")).hasSize(1);
        String root = trace.stream().filter(s -> !s.getParentSpanContext().isValid()).findFirst().orElseThrow().getSpanId();
        assertThat(trace).as("the fan-out's span is the request's child")
                .filteredOn(s -> s.getName().equals("federated-search")).singleElement()
                .satisfies(fanOut -> assertThat(fanOut.getParentSpanId()).isEqualTo(root));
        // the fan-out's route is one span (its route's, not a second one for the send to it); each hub's part is its
        // call's client span, the request's child, with no span of the hub's route beside it
        assertThat(trace).extracting(SpanData::getName).as("the fan-out's route span, once")
                .containsOnlyOnce("federated-search").doesNotContain("hub-rsb", "hub-cozo");
        assertThat(hubCalls).as("each hub call is a child of the request's span")
                .allSatisfy(call -> assertThat(call.getParentSpanId()).isEqualTo(root));
        // traceparent went to the hubs: each sandbox hub's server span is the child of the broker's client span
        for (SpanData call : hubCalls) {
            assertThat(trace).as("the hub's server span under " + call.getName())
                    .anySatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(call.getSpanId()));
        }
    }

    @Test
    void aSearchsObservationsAreTimedWithoutALongTaskTimerEach() throws Exception {
        HttpResponse<String> response = get("/api/v1/patients/" + OLIVIA + "/documents",
                token(GP, "persphysician", "An Verstraeten"), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // observations are timed (Micrometer's own handler, config/ObservationMetersConfiguration), without a
        // long-task timer each (management.observations.long-task-timer.enabled: false)
        assertThat(meters.find("http.server.requests").timers()).isNotEmpty();
        assertThat(meters.find("rb.client.call").timers()).isNotEmpty();
        assertThat(meters.find("http.server.requests.active").longTaskTimers()).isEmpty();
        assertThat(meters.find("rb.client.call.active").longTaskTimers()).isEmpty();
    }

    @Test
    void aRefusedRequestsProblemCarriesItsTraceId() throws Exception {
        // 403: a dentist may not search this patient (the gate)... and a 400: a bad parameter
        for (String path : List.of("/api/v1/patients/" + OLIVIA + "/documents?pageSize=0",
                "/api/v1/patients/" + OLIVIA + "/documents")) {
            spans.clear();
            String token = path.endsWith("pageSize=0") ? token(GP, "persphysician", "An Verstraeten")
                    : token("33344541001", "persdentist", "Dirk Tand");
            HttpResponse<String> response = get(path, token, null);
            assertThat(response.statusCode()).as(response.body()).isIn(400, 403);
            JsonNode problem = json.readTree(response.body());
            String traceId = problem.path("traceId").asText();
            assertThat(traceId).matches("[0-9a-f]{32}");
            List<SpanData> server = awaitSpans(s -> s.getTraceId().equals(traceId), 1);
            assertThat(server).as("spans of the refused request's trace").isNotEmpty();
        }
        // a caller's own traceparent is continued: the answer names the caller's trace
        String callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> response = get("/api/v1/patients/" + OLIVIA + "/documents",
                token("33344541001", "persdentist", "Dirk Tand"), "00-" + callerTrace + "-00f067aa0ba902b7-01");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json.readTree(response.body()).path("traceId").asText()).isEqualTo(callerTrace);
    }

    private HttpResponse<String> get(String path, String token, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<SpanData> awaitSpans(java.util.function.Predicate<SpanData> which, int atLeast) {
        return spans.await(which, atLeast);
    }
}
