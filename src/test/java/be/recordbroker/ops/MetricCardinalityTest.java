package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;


import org.junit.jupiter.api.Test;

import be.recordbroker.TestMllp;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.ingest.Hl7TestMessages;

/**
 * Label cardinality is bounded: after one round of each kind of traffic (HL7 accepted and refused, searches allowed
 * and denied, anonymous refusals), a second round with 40 other patients and messages adds no series to the families
 * that traffic feeds, and no patient's SSIN appears anywhere in the scrape.
 */
class MetricCardinalityTest extends SandboxIntegrationTest {

    /** The families this traffic feeds (a series keyed by patient or message would show in one of them). */
    private static final List<String> FAMILIES = List.of("rb_hl7_", "rb_access_", "rb_search_", "rb_audit_",
            "rb_unauthenticated", "camel_", "cache_", "artemis_", "rb_retrieve");

    @Test
    void manyPatientsAndMessagesAddNoSeries() throws Exception {
        List<String> patients = new ArrayList<>();
        round(2, patients);
        awaitIngestDrained();
        Set<String> before = series(opsGet("/actuator/prometheus").body());

        round(20, patients);
        awaitIngestDrained();
        String after = opsGet("/actuator/prometheus").body();

        assertThat(before).hasSizeGreaterThan(50);
        Set<String> added = new TreeSet<>(series(after));
        added.removeAll(before);
        assertThat(added).as("series added by 40 more patients and messages").isEmpty();
        assertThat(patients).hasSize(44).allSatisfy(ssin -> assertThat(after).doesNotContain(ssin));
    }

    /** Per patient: an accepted ADT, a refused MDM (no document number), a denied search; one anonymous search. */
    private void round(int n, List<String> patients) throws Exception {
        String gp = token("12345625004", "persphysician", "An Verstraeten");
        for (int i = 0; i < n; i++) {
            for (String facility : new String[] {"SANDBOX-BRU", "SANDBOX-GNT"}) {
                String ssin = Hl7TestMessages.newSsin();
                patients.add(ssin);
                assertThat(mllp(Hl7TestMessages.adt(facility, "A28", Hl7TestMessages.controlId("CARD"), ssin)))
                        .contains("MSA|AA");
                assertThat(mllp(Hl7TestMessages.mdm(facility, "T02", Hl7TestMessages.controlId("CARD"), ssin, null,
                        null, null))).contains("MSA|AE");
                assertThat(get("/api/v1/patients/" + ssin + "/documents", gp).statusCode()).isEqualTo(403);
            }
        }
        assertThat(get("/api/v1/patients/" + patients.get(0) + "/documents", null).statusCode()).isEqualTo(401);
    }

    /** Until the accepted messages are applied at their hubs (the applier's own series exist then). */
    private void awaitIngestDrained() {
        java.util.regex.Pattern depth = java.util.regex.Pattern.compile(
                "artemis_message_count\\{[^}]*queue=\"rb\\.hl7\\.ingest\"[^}]*} (\\S+)");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    java.util.regex.Matcher m = depth.matcher(opsGet("/actuator/prometheus").body());
                    return m.find() && Double.parseDouble(m.group(1)) == 0.0;
                });
    }

    /** Series of the families above: name and labels, without the value. */
    private static Set<String> series(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.substring(0, l.lastIndexOf(' ')))
                .filter(s -> FAMILIES.stream().anyMatch(s::startsWith))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private String mllp(String er7) throws Exception {
        return TestMllp.send(MLLP_PORT, er7);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
