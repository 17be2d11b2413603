package be.recordbroker.retrieve;

import static be.recordbroker.retrieve.RetrievalFixtures.BRU;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.WireRecorder;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.DocumentId;

/**
 * Issue 12 item 4: the patient-level gate is decided and audited before any hub is asked where a document is. A
 * caller refused at patient level gets the same answer for a document that exists and one that does not, and no hub
 * hears of the document; a forged id never reaches a hub; an invalid break-the-glass text is refused and never
 * forwarded. "No hub heard of it" is checked on the wire at the sandbox hubs ({@link WireRecorder}): no
 * GetTransactionList (the locate) nor GetTransaction.
 */
class RetrievalOrderIntegrationTest extends SandboxIntegrationTest {

    RetrievalFixtures fixtures;

    @Autowired
    JdbcAuditTrail trail;

    @BeforeEach
    void fixtures() {
        fixtures = new RetrievalFixtures(base());
    }

    @Test
    void aRefusedCallerGetsTheSame403ForAnExistingAndAGuessedDocumentAndNoHubIsAsked() throws Exception {
        String patient = fixtures.patientWithGp();
        String existing = fixtures.declare(BRU, patient, "ORDER-1", "labresult", null);
        String guessed = RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "ORDER-404"));
        String cardiologist = fixtures.token(RetrievalFixtures.CARDIOLOGIST, "persphysician", "Marc Delvaux");
        wire.clear();

        JsonNode a = problem(get(existing, cardiologist, null), 403);
        JsonNode b = problem(get(guessed, cardiologist, null), 403);

        assertThat(a.path("reason").asText()).isEqualTo("NO_THERAPEUTIC_LINK");
        assertThat(b.path("reason").asText()).isEqualTo(a.path("reason").asText());
        assertThat(b.path("detail").asText()).isEqualTo(a.path("detail").asText());
        assertThat(b.path("status").asInt()).isEqualTo(a.path("status").asInt());
        assertNoDocumentQuestionOnTheWire();
        // both audited, as locate decisions naming the id the caller gave
        List<AuditEvent> rows = trail.forPatient(patient, 10, 0);
        assertThat(rows).extracting(r -> r.action() + ":" + r.reason() + ":" + r.documentId()).containsExactly(
                "locate:NO_THERAPEUTIC_LINK:" + guessed, "locate:NO_THERAPEUTIC_LINK:" + existing);
        assertThat(rows).allSatisfy(r -> assertThat(r.actorNihii()).isEqualTo(RetrievalFixtures.CARDIOLOGIST));
    }

    @Test
    void aCitizenAskingForSomebodyElsesDocumentLearnsNothingEither() throws Exception {
        String patient = fixtures.patientWithGp();
        String existing = fixtures.declare(BRU, patient, "ORDER-2", "labresult", null);
        String guessed = RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "ORDER-405"));
        String stranger = token(null, "patient", "A Stranger", RetrievalFixtures.freshPatient());
        wire.clear();

        JsonNode a = problem(get(existing, stranger, null), 403);
        JsonNode b = problem(get(guessed, stranger, null), 403);

        assertThat(a.path("reason").asText()).isEqualTo("NOT_THE_PATIENT");
        assertThat(b.path("reason").asText()).isEqualTo("NOT_THE_PATIENT");
        assertThat(b.path("detail").asText()).isEqualTo(a.path("detail").asText());
        assertNoDocumentQuestionOnTheWire();
        assertThat(trail.forPatient(patient, 10, 0)).extracting(r -> r.action() + ":" + r.reason())
                .containsExactly("locate:NOT_THE_PATIENT", "locate:NOT_THE_PATIENT");
    }

    @Test
    void anAllowedCallerLearnsThatTheDocumentDoesNotExistAndThatIsAuditedToo() throws Exception {
        String patient = fixtures.patientWithGp();
        String guessed = RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "ORDER-406"));

        assertThat(problem(get(guessed, fixtures.gpToken(), null), 404).path("reason").asText())
                .isEqualTo("UNKNOWN_DOCUMENT");

        assertThat(trail.forPatient(patient, 10, 0)).extracting(r -> r.action() + ":" + r.reason())
                .containsExactly("locate:UNKNOWN_DOCUMENT", "locate:THERAPEUTIC_LINK");
    }

    @Test
    void aForgedIdNeverReachesAHub() throws Exception {
        String patient = fixtures.patientWithGp();
        fixtures.declare(BRU, patient, "ORDER-3", "labresult", null);
        // the wave-1 form: readable, checksummed, unkeyed — anyone could build it from an SSIN
        String forged = new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "ORDER-3").encode();
        String foreignKey = new be.recordbroker.domain.DocumentIdCodec(new byte[32])
                .encode(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "ORDER-3"));
        wire.clear();

        for (String id : List.of(forged, foreignKey)) {
            assertThat(problem(get(id, fixtures.gpToken(), null), 400).path("reason").asText())
                    .isEqualTo("INVALID_DOCUMENT_ID");
        }
        assertNoDocumentQuestionOnTheWire();
        // (the test's own declaration may reach the recorder after wire.clear(): it is not a question about the patient)
        assertThat(wire.received()).as("no hub heard of the patient")
                .filteredOn(r -> !String.valueOf(r.soapAction()).endsWith(":DeclareTransaction\""))
                .noneMatch(r -> r.body().contains(patient));
        assertThat(trail.forPatient(patient, 10, 0)).isEmpty();
    }

    @Test
    void anInvalidBreakTheGlassTextIsRefusedAndNeverForwarded() throws Exception {
        String patient = fixtures.patientWithGp();
        String id = fixtures.declare(BRU, patient, "ORDER-4", "labresult", null);
        String cardiologist = fixtures.token(RetrievalFixtures.CARDIOLOGIST, "persphysician", "Marc Delvaux");
        wire.clear();

        assertThat(problem(get(id, cardiologist, "too short"), 400).path("reason").asText())
                .isEqualTo("BTG_REASON_INVALID");
        String tooLong = "Emergency " + "x".repeat(300);
        assertThat(problem(get(id, cardiologist, tooLong), 400).path("reason").asText())
                .isEqualTo("BTG_REASON_INVALID");

        assertNoDocumentQuestionOnTheWire();
        assertThat(wire.received()).noneMatch(r -> r.body().contains("too short") || r.body().contains("xxxxxxxxxx"));
        assertThat(trail.forPatient(patient, 10, 0)).extracting(r -> r.action() + ":" + r.reason())
                .containsExactly("locate:BTG_REASON_INVALID", "locate:BTG_REASON_INVALID");
    }

    @Test
    void aBreakTheGlassTextThatDidNotAllowTheAccessIsNotForwarded() throws Exception {
        String patient = fixtures.patientWithGp();
        String id = fixtures.declare(BRU, patient, "GEN-1000-905", "labresult", null);
        wire.clear();

        // the GP has a link: the text (valid or not) is not what allowed him, so no hub hears it
        HttpResponse<java.io.InputStream> answer = get(id, fixtures.gpToken(), "no link needed, sent anyway");
        assertThat(answer.statusCode()).isEqualTo(200);
        answer.body().transferTo(java.io.OutputStream.nullOutputStream());

        assertThat(wire.received()).isNotEmpty().noneMatch(r -> r.body().contains("no link needed"));
        assertThat(trail.forPatient(patient, 10, 0)).extracting(r -> r.action() + ":" + r.reason())
                .containsExactly("read:THERAPEUTIC_LINK", "locate:THERAPEUTIC_LINK");
    }

    @Test
    void aValidBreakTheGlassIsForwardedStrippedAfterTheGate() throws Exception {
        String patient = fixtures.patientWithGp();
        String id = fixtures.declare(BRU, patient, "GEN-1000-906", "labresult", null);
        String cardiologist = fixtures.token(RetrievalFixtures.CARDIOLOGIST, "persphysician", "Marc Delvaux");
        wire.clear();

        HttpResponse<java.io.InputStream> answer = get(id, cardiologist, "  Unconscious at the emergency department  ");
        assertThat(answer.statusCode()).isEqualTo(200);
        answer.body().transferTo(java.io.OutputStream.nullOutputStream());

        assertThat(wire.received()).anyMatch(r -> r.body().contains(">Unconscious at the emergency department<"));
        assertThat(trail.forPatient(patient, 10, 0)).extracting(r -> r.action() + ":" + r.reason())
                .containsExactly("read:BREAK_THE_GLASS", "locate:BREAK_THE_GLASS");
    }

    private void assertNoDocumentQuestionOnTheWire() {
        assertThat(wire.received()).as("GetTransactionList/GetTransaction at a hub")
                .noneMatch(r -> r.body().contains("GetTransactionList") || r.body().contains("GetTransactionRequest"));
    }

    private JsonNode problem(HttpResponse<java.io.InputStream> response, int status) throws Exception {
        String body = new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        return json.readTree(body);
    }

    private HttpResponse<java.io.InputStream> get(String id, String token, String breakTheGlass) throws Exception {
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
}
