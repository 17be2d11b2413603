package be.recordbroker.retrieve;

import static be.recordbroker.retrieve.RetrievalFixtures.BRU;
import static be.recordbroker.retrieve.RetrievalFixtures.GNT;
import static be.recordbroker.retrieve.RetrievalFixtures.NAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.retrieve.RetrievalFixtures.Digest;
import be.recordbroker.sandbox.SandboxFaults;
import be.recordbroker.sandbox.SandboxSourceFaults;

/**
 * {@code GET /api/v1/documents/{id}} end to end against the sandbox: documents from a REST source (SANDBOX-BRU), a
 * SOAP source (SANDBOX-GNT) and relayed by a hub (SANDBOX-NAM, not connected) arrive byte for byte as their sources
 * serve them; every refusal is a problem+json with its reason, and the gate's are in the audit trail.
 */
class RestRetrievalIntegrationTest extends SandboxIntegrationTest {

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    RetrievalFixtures fixtures;

    @Autowired
    JdbcAuditTrail trail;
    @Autowired
    SandboxSourceFaults sourceFaults;
    @Autowired
    MeterRegistry meters;
    @Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry circuits;

    @BeforeEach
    void fixtures() {
        fixtures = new RetrievalFixtures(base());
    }

    @AfterEach
    void clearSourceFaults() {
        sourceFaults.clearAll();
    }

    // ------------------------------------------------------------------ the three routes

    @Test
    void aRestSourceDocumentIsStreamedByteForByteWithTheSourcesTypeAndLength() throws Exception {
        String patient = fixtures.patientWithGp();
        String localId = "GEN-5000017-41";
        String id = fixtures.declare(BRU, patient, localId, "dischargereport", null);
        double okBefore = bytesCounter("rest", "rest-source");

        HttpResponse<InputStream> answer = get(id, fixtures.gpToken(), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(answer.headers().firstValueAsLong("Content-Length")).hasValue(5_000_017L);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        Digest received = RetrievalFixtures.digest(answer.body());
        assertThat(received.bytes()).isEqualTo(5_000_017L);
        assertThat(received.sha256()).isEqualTo(RetrievalFixtures.generatedSha256(localId))
                .isEqualTo(direct(BRU, localId).sha256());
        // the read was decided and audited before a byte left
        AuditEvent read = trail.forPatient(patient, 10, 0).get(0);
        assertThat(read.action()).isEqualTo("read");
        assertThat(read.reason()).isEqualTo("THERAPEUTIC_LINK");
        assertThat(read.documentId()).isEqualTo(id);
        // the counter is updated when the servlet finishes, which may come just after the client has read the last byte
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(bytesCounter("rest", "rest-source") - okBefore).isEqualTo(5_000_017.0));
    }

    @Test
    void theSeedsFewMegabytePdfArrivesAsTheSourceServesIt() throws Exception {
        String patient = "12020175988"; // seed: consent; its GP link is renewed here so the test does not age
        fixtures.link(patient, RetrievalFixtures.GP, "gpconsultation");
        String id = RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "BRU-PDF-00001"));

        HttpResponse<InputStream> answer = get(id, fixtures.gpToken(), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/pdf");
        Digest received = RetrievalFixtures.digest(answer.body());
        Digest source = direct(BRU, "BRU-PDF-00001");
        assertThat(received).isEqualTo(source);
        assertThat(received.bytes()).isGreaterThan(3L * 1024 * 1024);
    }

    @Test
    void aSoapSourceDocumentIsUnwrappedToTheSourcesBytes() throws Exception {
        String patient = fixtures.patientWithGp();
        String localId = "GEN-300001-42";
        String id = fixtures.declare(GNT, patient, localId, "labresult", null);

        HttpResponse<InputStream> answer = get(id, fixtures.gpToken(), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValueAsLong("Content-Length")).hasValue(300_001L);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(RetrievalFixtures.digest(answer.body()).sha256()).isEqualTo(RetrievalFixtures.generatedSha256(localId));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(bytesCounter("rest", "soap-source")).isPositive());
    }

    @Test
    void aDocumentOfAHospitalNotConnectedToTheBrokerIsRelayedByItsHubAndUnwrapped() throws Exception {
        String patient = fixtures.patientWithGp();
        String localId = "GEN-250003-43";
        String id = fixtures.declare(NAM, patient, localId, "contactreport", "application/octet-stream");

        HttpResponse<InputStream> answer = get(id, fixtures.gpToken(), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        Digest received = RetrievalFixtures.digest(answer.body());
        assertThat(received.sha256()).isEqualTo(RetrievalFixtures.generatedSha256(localId))
                .isEqualTo(direct(NAM, localId).sha256());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(bytesCounter("rest", "hub-relay")).isPositive());
    }

    @Test
    void aRelayedPdfKeepsItsMediaType() throws Exception {
        String patient = "48032343402"; // seed: NAM-00033, a small PDF of the Namur hospital at rsw
        fixtures.link(patient, RetrievalFixtures.GP, "gpconsultation");
        String id = RetrievalFixtures.seal(new DocumentId(NAM.hubEhpId(), patient, NAM.sourceLabel(), "NAM-00033"));

        HttpResponse<InputStream> answer = get(id, fixtures.gpToken(), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(RetrievalFixtures.digest(answer.body())).isEqualTo(direct(NAM, "NAM-00033"));
    }

    @Test
    void aDocumentFoundBySearchIsRetrievedByTheIdTheSearchGave() throws Exception {
        String patient = fixtures.patientWithGp();
        String localId = "GEN-70001-53";
        fixtures.declare(GNT, patient, localId, "labresult", null);
        HttpResponse<String> search = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/patients/" + patient
                        + "/documents")).header("Authorization", "Bearer " + fixtures.gpToken()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        JsonNode found = json.readTree(search.body()).path("documents").get(0);
        assertThat(found).as(search.body()).isNotNull();

        HttpResponse<InputStream> answer = get(found.path("id").asText(), fixtures.gpToken(), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(RetrievalFixtures.digest(answer.body()).sha256()).isEqualTo(RetrievalFixtures.generatedSha256(localId));
        // the search's per-hub circuits are shared by every test of this context: leave them as found (a slow hub on
        // a busy machine counts as a failure there)
        circuits.getAllCircuitBreakers().forEach(io.github.resilience4j.circuitbreaker.CircuitBreaker::reset);
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void aGarbageIdIsABadRequest() throws Exception {
        assertProblem(get("not-a-document-id", fixtures.gpToken(), null), 400, "INVALID_DOCUMENT_ID");
        assertProblem(get("", fixtures.gpToken(), null), 400, "INVALID_DOCUMENT_ID");
        assertProblem(get("A".repeat(5000), fixtures.gpToken(), null), 400, "INVALID_DOCUMENT_ID");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/documents/x"))
                .header("Authorization", "Bearer " + fixtures.gpToken()).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(json.readTree(post.body()).path("reason").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        String valid = RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), RetrievalFixtures.freshPatient(), "RSBID", "X"));
        String corrupted = valid.substring(0, 12) + (valid.charAt(12) == 'A' ? 'B' : 'A') + valid.substring(13);
        assertProblem(get(corrupted, fixtures.gpToken(), null), 400, "INVALID_DOCUMENT_ID");
    }

    @Test
    void anUnknownDocumentOrHubIsNotFound() throws Exception {
        String patient = fixtures.patientWithGp();
        assertProblem(get(RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "NEVER-DECLARED")),
                fixtures.gpToken(), null), 404, "UNKNOWN_DOCUMENT");
        assertProblem(get(RetrievalFixtures.seal(new DocumentId("1234567890", patient, "XXID", "X-1")), fixtures.gpToken(), null),
                404, "UNKNOWN_HUB");
    }

    @Test
    void gateRefusalsAreProblemsWithTheirReasonAndAreAudited() throws Exception {
        String patient = fixtures.patientWithGp();
        fixtures.link(patient, RetrievalFixtures.NURSE, "homecare");
        String id = fixtures.declare(BRU, patient, "GEN-1000-44", "labresult", null);
        String hidden = fixtures.declare(BRU, patient, "GEN-1000-45", "labresult", null);
        fixtures.disallow(BRU, "GEN-1000-45", RetrievalFixtures.GP);
        String birth = fixtures.declare(BRU, patient, "GEN-1000-46", "ebirth-mother-medicalform", null);

        assertProblem(get(id, null, null), 401, "UNAUTHENTICATED");
        assertProblem(get(id, "not.a.token", null), 401, "UNAUTHENTICATED");
        assertProblem(get(id, fixtures.token(RetrievalFixtures.CARDIOLOGIST, "persphysician", "Marc Delvaux"), null),
                403, "NO_THERAPEUTIC_LINK");
        assertProblem(get(hidden, fixtures.gpToken(), null), 403, "ACCESS_RIGHT_DENIED");
        String nurse = fixtures.token(RetrievalFixtures.NURSE, "persnurse", "Koen Baert");
        assertProblem(get(birth, nurse, null), 403, "MATRIX_DENIED");
        HttpResponse<InputStream> btg = get(id, fixtures.token(RetrievalFixtures.CARDIOLOGIST, "persphysician",
                "Marc Delvaux"), "Chest pain at the emergency department");
        assertThat(btg.statusCode()).isEqualTo(200);
        btg.body().transferTo(java.io.OutputStream.nullOutputStream());

        // newest first; the patient-level decision (locate) is recorded before the hub is asked, the document-level
        // one (read) after it gave the type; a caller refused at patient level has no read row
        List<AuditEvent> rows = trail.forPatient(patient, 20, 0);
        // the unauthenticated refusals are counted, not written to the patient's trail (issue 12)
        assertThat(rows).extracting(r -> r.action() + ":" + r.reason()).containsExactly(
                "read:BREAK_THE_GLASS", "locate:BREAK_THE_GLASS",
                "read:MATRIX_DENIED", "locate:THERAPEUTIC_LINK",
                "read:ACCESS_RIGHT_DENIED", "locate:THERAPEUTIC_LINK",
                "locate:NO_THERAPEUTIC_LINK");
        assertThat(rows.get(4).documentId()).isEqualTo(hidden);
        assertThat(rows.get(0).breakTheGlass()).isEqualTo("Chest pain at the emergency department");
    }

    @Test
    void aHubThatCannotBeAskedForTheDocumentIsServiceUnavailable() throws Exception {
        String patient = fixtures.patientWithGp();
        String id = fixtures.declare(BRU, patient, "GEN-1000-47", "labresult", null);
        faults.set("rsb", new SandboxFaults.Faults(0, 0.0, true));
        assertProblem(get(id, fixtures.gpToken(), null), 503, "FACTS_UNAVAILABLE");
    }

    @Test
    void aSlowRestSourceIsAGatewayTimeout() throws Exception {
        String patient = fixtures.patientWithGp();
        String id = fixtures.declare(BRU, patient, "GEN-1000-48", "labresult", null);
        sourceFaults.set(BRU.facility(), new SandboxSourceFaults.Faults(7_000, 0.0, false, 0)); // timeout: 5 s
        long start = System.nanoTime();
        assertProblem(get(id, fixtures.gpToken(), null), 504, "SOURCE_TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(6_900));
    }

    @Test
    void failingSourcesAreBadGateways() throws Exception {
        String patient = fixtures.patientWithGp();
        String rest = fixtures.declare(BRU, patient, "GEN-1000-49", "labresult", null);
        String soap = fixtures.declare(GNT, patient, "GEN-1000-50", "labresult", null);
        String relayed = fixtures.declare(NAM, patient, "GEN-1000-51", "labresult", null);
        sourceFaults.set(BRU.facility(), new SandboxSourceFaults.Faults(0, 0.0, true, 0));
        sourceFaults.set(GNT.facility(), new SandboxSourceFaults.Faults(0, 1.0, false, 0));
        sourceFaults.set(NAM.facility(), new SandboxSourceFaults.Faults(0, 0.0, true, 0));

        assertProblem(get(rest, fixtures.gpToken(), null), 502, "SOURCE_UNAVAILABLE");
        assertProblem(get(soap, fixtures.gpToken(), null), 502, "SOURCE_UNAVAILABLE");
        assertProblem(get(relayed, fixtures.gpToken(), null), 502, "SOURCE_UNAVAILABLE");
        // a source that is declared but does not hold the document
        sourceFaults.clearAll();
        String missing = fixtures.declare(BRU, patient, "NOT-AT-THE-SOURCE", "labresult", null);
        assertProblem(get(missing, fixtures.gpToken(), null), 502, "SOURCE_UNAVAILABLE");
    }

    @Test
    void aSourceDyingMidStreamCutsTheCallersConnection() throws Exception {
        String patient = fixtures.patientWithGp();
        String id = fixtures.declare(BRU, patient, "GEN-3000000-52", "labresult", null);
        sourceFaults.set(BRU.facility(), new SandboxSourceFaults.Faults(0, 0.0, false, 1_000_000));

        HttpResponse<InputStream> answer = get(id, fixtures.gpToken(), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValueAsLong("Content-Length")).hasValue(3_000_000L);
        // the caller never gets a short body that looks complete: his connection is dropped at once
        long start = System.nanoTime();
        assertThatThrownBy(() -> RetrievalFixtures.digest(answer.body())).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    // ------------------------------------------------------------------ helpers

    HttpResponse<InputStream> get(String id, String token, String breakTheGlass) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/v1/documents/" + id))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (breakTheGlass != null) {
            request.header("X-Break-The-Glass", breakTheGlass);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The document straight from the sandbox hospital's REST source. */
    Digest direct(RetrievalFixtures.Site site, String localId) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create(base() + "/sandbox/hospitals/" + site.facility() + "/documents/" + localId)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream in = response.body()) {
            return RetrievalFixtures.digest(in);
        }
    }

    void assertProblem(HttpResponse<InputStream> response, int status, String reason) throws Exception {
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(body);
        assertThat(problem.path("reason").asText()).as(body).isEqualTo(reason);
        assertThat(problem.path("requestId").asText()).isNotBlank();
    }

    double bytesCounter(String face, String route) {
        var counter = meters.find("rb.retrieve.bytes").tags("face", face, "route", route, "outcome", "ok").counter();
        return counter == null ? 0 : counter.count();
    }
}
