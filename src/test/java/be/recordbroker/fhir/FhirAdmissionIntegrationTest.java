package be.recordbroker.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.admission.Admission;
import be.recordbroker.admission.Admissions;

/**
 * Admission control on the FHIR face (issue 13, as on REST and SOAP): with every place of a lane taken (held here
 * through the lane itself), an ITI-67 search, an AuditEvent search and an ITI-68 retrieval get 503 + Retry-After with an OperationOutcome
 * {@code OVERLOADED} carrying the request id; an anonymous caller still gets 401 (no place for one who is not a
 * caller). Each refusal is counted with face {@code fhir}; once the places are free the same requests are served.
 */
class FhirAdmissionIntegrationTest extends SandboxIntegrationTest {

    @Autowired
    Admissions admissions;

    @Test
    void aFullSearchLaneAnswersAnItI67SearchWith503AndAnOverloadedOutcome() throws Exception {
        String token = token(FhirFaceIntegrationTest.GP, "persphysician", "An Verstraeten");
        String search = "/fhir/DocumentReference?patient.identifier=" + URLEncoder.encode(
                DocumentReferences.SSIN_SYSTEM + "|" + FhirFaceIntegrationTest.OLIVIA, StandardCharsets.UTF_8);
        double refusedBefore = refused("search");
        List<Admission.Permit> held = fill(admissions.search());
        try {
            long sent = System.nanoTime();
            HttpResponse<String> refused = get(search, token, "fhir-admission-1");
            long waitedMs = (System.nanoTime() - sent) / 1_000_000;
            assertOverloaded(refused, "fhir-admission-1");
            assertThat(waitedMs).as("it waited in the queue for a place first (queue timeout 1 s)")
                    .isGreaterThanOrEqualTo(900);
        } finally {
            held.forEach(Admission.Permit::close);
        }
        assertThat(refused("search")).isEqualTo(refusedBefore + 1);
        HttpResponse<String> served = get(search, token, null);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(admissions.search().inFlight()).isZero();
    }

    /** The patient's trail as AuditEvents takes a place of the search lane, as the REST audit view does. */
    @Test
    void aFullSearchLaneAnswersAnAuditEventSearchWith503ButStill401ToNoOne() throws Exception {
        String self = token(null, "patient", "Olivia Janssens", FhirFaceIntegrationTest.OLIVIA);
        String trail = "/fhir/AuditEvent?patient.identifier=" + URLEncoder.encode(
                DocumentReferences.SSIN_SYSTEM + "|" + FhirFaceIntegrationTest.OLIVIA, StandardCharsets.UTF_8);
        double refusedBefore = refused("search");
        List<Admission.Permit> held = fill(admissions.search());
        try {
            long sent = System.nanoTime();
            HttpResponse<String> refused = get(trail, self, "fhir-admission-3");
            long waitedMs = (System.nanoTime() - sent) / 1_000_000;
            assertOverloaded(refused, "fhir-admission-3");
            assertThat(waitedMs).as("it waited in the queue for a place first").isGreaterThanOrEqualTo(900);
            assertThat(get(trail, null, null).statusCode()).isEqualTo(401);
        } finally {
            held.forEach(Admission.Permit::close);
        }
        assertThat(refused("search")).isEqualTo(refusedBefore + 1);
        HttpResponse<String> served = get(trail, self, null);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(json.readTree(served.body()).path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(admissions.search().inFlight()).isZero();
    }

    @Test
    void aFullRetrievalLaneAnswersAnIti68RetrievalWith503ButStill401ToNoOne() throws Exception {
        String token = token(FhirFaceIntegrationTest.GP, "persphysician", "An Verstraeten");
        double refusedBefore = refused("retrieve");
        List<Admission.Permit> held = fill(admissions.retrieve());
        try {
            assertOverloaded(get("/fhir/documents/anything", token, "fhir-admission-2"), "fhir-admission-2");
            assertThat(get("/fhir/documents/anything", null, null).statusCode()).isEqualTo(401);
        } finally {
            held.forEach(Admission.Permit::close);
        }
        assertThat(refused("retrieve")).isEqualTo(refusedBefore + 1);
        HttpResponse<String> served = get("/fhir/documents/anything", token, null);
        assertThat(served.statusCode()).as("admitted again: the id's own refusal " + served.body()).isIn(400, 404);
        assertThat(admissions.retrieve().inFlight()).isZero();
    }

    private void assertOverloaded(HttpResponse<String> refused, String requestId) throws Exception {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/fhir+json"));
        JsonNode outcome = json.readTree(refused.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        JsonNode issue = outcome.path("issue").path(0);
        assertThat(issue.path("details").path("coding").path(0).path("code").asText()).isEqualTo("OVERLOADED");
        assertThat(issue.path("code").asText()).isEqualTo("transient");
        assertThat(refused.body()).contains(requestId);
    }

    private HttpResponse<String> get(String path, String token, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Takes every in-flight place of the lane (none is queued: the next caller waits the queue timeout). */
    private static List<Admission.Permit> fill(Admission lane) {
        List<Admission.Permit> held = new ArrayList<>();
        try {
            while (held.size() <= 10_000) {
                held.add(lane.enter("test"));
            }
            throw new AssertionError("the lane has no bound");
        } catch (Admission.Overloaded full) {
            return held;
        }
    }

    /** {@code rb_admission_refused_total{face="fhir",lane=...}}, summed over its other labels. */
    private double refused(String lane) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^rb_admission_refused_total\\{([^}]*)\\} (\\S+)$")
                .matcher(opsGet("/actuator/prometheus").body());
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains("face=\"fhir\",lane=\"" + lane + "\"")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
