package be.recordbroker.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.audit.JdbcAuditTrail;

/**
 * Brief R8 through REST with sandbox citizen tokens, on the seed's four cases (sandbox/seed.yaml "representations",
 * served by the sandbox metahub's GetRepresentations): a parent and a young child (allowed), the same parent and a
 * child past the age (NOT_A_REPRESENTATIVE), a mandatary (allowed), a revoked mandate (NOT_A_REPRESENTATIVE). Every
 * row names the actor (his SSIN) and the patient.
 */
class RepresentativeIntegrationTest extends SandboxIntegrationTest {

    static final String PARENT = "78040814421";           // Olivia Janssens
    static final String YOUNG_CHILD = "19061512391";      // Victor Janssens, born 2019
    static final String OLDER_CHILD = "12020175988";      // Lucas Peeters, born 2012
    static final String MANDATARY = "85020339058";        // Emma Lambert
    static final String MANDATOR = "48010322323";         // Jules Mertens
    static final String FORMER_MANDATARY = "85050522191"; // Milan Dubois, mandate revoked 2025-01-31
    static final String FORMER_MANDATOR = "55112491384";  // Arthur Maes

    @Autowired
    JdbcAuditTrail trail;
    @Autowired
    Representatives representatives;

    @Test
    void aParentSearchesRetrievesAndReadsTheTrailOfHisYoungChild() throws Exception {
        String token = token(null, "patient", "Olivia Janssens", PARENT);

        HttpResponse<String> search = get("/api/v1/patients/" + YOUNG_CHILD + "/documents", token);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        JsonNode documents = json.readTree(search.body()).path("documents");
        assertThat(documents).isNotEmpty();
        String id = documents.get(0).path("id").asText();
        assertThat(id).doesNotContain(YOUNG_CHILD);

        HttpResponse<String> document = get("/api/v1/documents/" + id, token);
        assertThat(document.statusCode()).as(document.body()).isEqualTo(200);
        assertThat(document.body()).isNotEmpty();

        HttpResponse<String> audit = get("/api/v1/patients/" + YOUNG_CHILD + "/audit", token);
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);

        List<AuditEvent> rows = trail.forPatient(YOUNG_CHILD, 200, 0).stream()
                .filter(r -> PARENT.equals(r.actorSsin())).toList();
        assertThat(rows).extracting(r -> r.action() + ":" + r.reason()).contains("search:REPRESENTATIVE",
                "locate:REPRESENTATIVE", "read:REPRESENTATIVE", "audit-trail:REPRESENTATIVE");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.patientSsin()).isEqualTo(YOUNG_CHILD);
            assertThat(r.actorProfession()).isEqualTo("patient");
        });
        assertThat(representatives.mayActFor(PARENT, YOUNG_CHILD)).isTrue();
    }

    @Test
    void aParentNoLongerActsForAChildPastTheAge() throws Exception {
        String token = token(null, "patient", "Olivia Janssens", PARENT);

        assertRefused(get("/api/v1/patients/" + OLDER_CHILD + "/documents", token), "NOT_A_REPRESENTATIVE");
        assertRefused(get("/api/v1/patients/" + OLDER_CHILD + "/audit", token), "NOT_A_REPRESENTATIVE");

        assertThat(trail.forPatient(OLDER_CHILD, 200, 0)).filteredOn(r -> PARENT.equals(r.actorSsin()))
                .isNotEmpty().allSatisfy(r -> {
                    assertThat(r.reason()).isEqualTo("NOT_A_REPRESENTATIVE");
                    assertThat(r.decision()).isEqualTo(AuditEvent.DENY);
                    assertThat(r.patientSsin()).isEqualTo(OLDER_CHILD);
                });
        assertThat(representatives.mayActFor(PARENT, OLDER_CHILD)).isFalse();
    }

    @Test
    void aMandataryActsForHisMandator() throws Exception {
        String token = token(null, "patient", "Emma Lambert", MANDATARY);

        HttpResponse<String> search = get("/api/v1/patients/" + MANDATOR + "/documents", token);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(json.readTree(search.body()).path("documents")).isNotEmpty();

        assertThat(trail.forPatient(MANDATOR, 200, 0)).filteredOn(r -> MANDATARY.equals(r.actorSsin()))
                .extracting(AuditEvent::reason).contains("REPRESENTATIVE");
        // not the other way round
        String mandator = token(null, "patient", "Jules Mertens", MANDATOR);
        assertRefused(get("/api/v1/patients/" + MANDATARY + "/documents", mandator), "NOT_THE_PATIENT");
    }

    @Test
    void aRevokedMandateNoLongerHolds() throws Exception {
        String token = token(null, "patient", "Milan Dubois", FORMER_MANDATARY);

        assertRefused(get("/api/v1/patients/" + FORMER_MANDATOR + "/documents", token), "NOT_A_REPRESENTATIVE");

        assertThat(trail.forPatient(FORMER_MANDATOR, 200, 0)).filteredOn(r -> FORMER_MANDATARY.equals(r.actorSsin()))
                .isNotEmpty().allSatisfy(r -> assertThat(r.reason()).isEqualTo("NOT_A_REPRESENTATIVE"));
    }

    @Test
    void theFactsComeFromTheMetahubOverSoap() throws Exception {
        wire.clear();
        String token = token(null, "patient", "Milan Dubois", FORMER_MANDATARY);
        // a pair nobody asked about yet in this context, so the broker's short cache cannot answer it
        assertRefused(get("/api/v1/patients/" + YOUNG_CHILD + "/documents", token), "NOT_THE_PATIENT");
        assertThat(wire.received()).anyMatch(r -> r.path().startsWith("/sandbox/metahub")
                && r.body().contains("GetRepresentationsRequest"));
    }

    private void assertRefused(HttpResponse<String> response, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(json.readTree(response.body()).path("reason").asText()).isEqualTo(reason);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
