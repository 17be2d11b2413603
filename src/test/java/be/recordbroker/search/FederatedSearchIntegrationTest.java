package be.recordbroker.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.xml.ws.BindingProvider;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListResponseType;
import be.fgov.ehealth.hubservices.core.v3.RequestListType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.soap.TransactionListSoap;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * The federated search end to end against the sandbox hubs and metahub, on REST and SOAP: merged lists, partial
 * results, circuit breakers, the metahub down, and REST and SOAP agreeing.
 */
class FederatedSearchIntegrationTest extends SandboxIntegrationTest {

    // seed: Olivia is known to rsb and cozo, with a GP link and a cardiologist's hospitalisation link
    static final String OLIVIA = "78040814421";
    static final String NORA = "48032343402"; // cozo and rsw; the cardiologist's hospitalisation link
    static final String GP = "12345625004";
    static final String CARDIOLOGIST = "13456769580";
    static final String DENTIST = "33344541001";



    @Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers;

    /**
     * The seed's links have fixed dates that age; the tests renew the ones they rely on. The circuit breakers are
     * shared by the whole test context: a slow call of another test class must not have opened one already.
     */
    @org.junit.jupiter.api.BeforeEach
    void freshLinksAndClosedCircuits() {
        breakers.getAllCircuitBreakers().forEach(io.github.resilience4j.circuitbreaker.CircuitBreaker::reset);
        link(OLIVIA, GP, "gpconsultation", LocalDate.now().minusDays(10));
        link(NORA, CARDIOLOGIST, "hospitalization", LocalDate.now().minusDays(10));
    }

    @Test
    void aPatientKnownToTwoHubsGetsOneMergedListNewestFirst() throws Exception {
        JsonNode seed = json.readTree(get("/sandbox/seed", null).body());
        List<String> expected = new ArrayList<>();
        seed.path("documents").forEach(d -> {
            if (d.path("patient").asText().equals(OLIVIA) && d.path("status").asText("available").equalsIgnoreCase("available")) {
                expected.add(d.path("id").asText());
            }
        });
        assertThat(expected).hasSizeGreaterThan(2);

        HttpResponse<String> response = get("/api/v1/patients/" + OLIVIA + "/documents?pageSize=500",
                token(GP, "persphysician", "An Verstraeten"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("complete").asBoolean()).isTrue();
        assertThat(body.path("metahub").asText()).isEqualTo("ok");
        assertThat(statuses(body)).containsEntry("rsb", "ok").containsEntry("cozo", "ok").containsEntry("rsw", "skipped");
        List<String> ids = new ArrayList<>();
        List<String> hubs = new ArrayList<>();
        List<OffsetDateTime> dates = new ArrayList<>();
        body.path("documents").forEach(d -> {
            ids.add(d.path("id").asText());
            hubs.add(d.path("hub").asText());
            dates.add(OffsetDateTime.parse(d.path("date").asText()));
        });
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(hubs).contains("rsb", "cozo");
        assertThat(dates).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(body.path("total").asInt()).isEqualTo(expected.size());

        // paging
        JsonNode second = json.readTree(get("/api/v1/patients/" + OLIVIA + "/documents?pageSize=2&page=1",
                token(GP, "persphysician", "An Verstraeten")).body());
        List<String> page = new ArrayList<>();
        second.path("documents").forEach(d -> page.add(d.path("id").asText()));
        assertThat(page).containsExactlyElementsOf(ids.subList(2, 4));

        // type filter
        JsonNode labs = json.readTree(get("/api/v1/patients/" + OLIVIA + "/documents?type=labresult",
                token(GP, "persphysician", "An Verstraeten")).body());
        assertThat(labs.path("documents")).isNotEmpty().allSatisfy(d -> assertThat(d.path("type").asText()).isEqualTo("labresult"));
    }

    @Test
    void restAndSoapAnswerTheSameQueryWithTheSameDocumentsInTheSameOrder() throws Exception {
        JsonNode rest = json.readTree(get("/api/v1/patients/" + OLIVIA + "/documents?pageSize=500",
                token(GP, "persphysician", "An Verstraeten")).body());
        List<String> restIds = new ArrayList<>();
        rest.path("documents").forEach(d -> restIds.add(d.path("id").asText()));

        GetTransactionListResponseType soap = brokerSoap().getTransactionList(listRequest(OLIVIA, GP, 500));
        assertThat(soap.getAcknowledge().isIscomplete()).isTrue();
        List<String> soapIds = soap.getKmehrheader().getFolder().getTransaction().stream()
                .map(t -> Kmehr.localIdValue(t.getId(), TransactionListSoap.SL_DOCUMENT_ID).orElseThrow()).toList();
        assertThat(soapIds).isNotEmpty().containsExactlyElementsOf(restIds);
        assertThat(soap.getResponse().getPaginationinfo().getTotalrecordcount()).isEqualTo(restIds.size());
    }

    @Test
    void aHubSlowerThanItsTimeoutIsNamedAndTheAnswerComesWithinTheTimeout() throws Exception {
        faults.set("cozo", new SandboxFaults.Faults(4000, 0.0, false));
        String token = token(GP, "persphysician", "An Verstraeten");
        long start = System.nanoTime();
        HttpResponse<String> response = get("/api/v1/patients/" + OLIVIA + "/documents", token);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        JsonNode body = json.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("complete").asBoolean()).isFalse();
        assertThat(statuses(body)).containsEntry("cozo", "timeout").containsEntry("rsb", "ok");
        assertThat(body.path("documents")).isNotEmpty().allSatisfy(d -> assertThat(d.path("hub").asText()).isEqualTo("rsb"));
        assertThat(tookMs).as("answered within the 2 s timeout plus a margin").isLessThan(3000);

        GetTransactionListResponseType soap = brokerSoap().getTransactionList(listRequest(OLIVIA, GP, 100));
        assertThat(soap.getAcknowledge().isIscomplete()).isFalse();
        assertThat(soap.getAcknowledge().getError()).singleElement().satisfies(e -> {
            assertThat(e.getCd().get(0).getValue()).isEqualTo("hub.timeout");
            assertThat(e.getDescription().getValue()).contains("cozo");
        });
    }

    @Test
    void aFailingHubOpensItsCircuitIsSkippedAtOnceAndClosesAfterRecovery() throws Exception {
        String token = token(CARDIOLOGIST, "persphysician", "Marc Delvaux");
        faults.set("rsw", new SandboxFaults.Faults(0, 1.0, false));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(statuses(json.readTree(get("/api/v1/patients/" + NORA + "/documents", token).body())).get("rsw"));
        }
        assertThat(seen.subList(0, 5)).containsOnly("error");
        JsonNode open = json.readTree(get("/api/v1/patients/" + NORA + "/documents", token).body());
        assertThat(statuses(open)).containsEntry("rsw", "circuit-open").containsEntry("cozo", "ok");
        assertThat(open.path("complete").asBoolean()).isFalse();
        JsonNode rsw = hubNode(open, "rsw");
        assertThat(rsw.path("tookMs").asLong()).isLessThan(50);
        JsonNode health = json.readTree(opsGet("/actuator/health").body());
        assertThat(health.at("/components/hubs/components/rsw/details/circuit").asText()).isEqualTo("open");
        assertThat(health.at("/components/hubs/components/rsw/status").asText()).isEqualTo("DEGRADED");

        faults.clearAll();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() ->
                "ok".equals(statuses(json.readTree(get("/api/v1/patients/" + NORA + "/documents", token).body())).get("rsw")));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            get("/api/v1/patients/" + NORA + "/documents", token);
            return json.readTree(opsGet("/actuator/health").body())
                    .at("/components/hubs/components/rsw/details/circuit").asText().equals("closed");
        });
    }

    @Test
    void whenTheMetahubIsDownEveryHubIsAskedAndTheAnswerSaysSo() throws Exception {
        String token = token(GP, "persphysician", "An Verstraeten");
        // the exclusions also live at the metahub: without a fresh cached answer the gate fails closed (below), so
        // the gate's facts are fetched first (the test context does not cache the metahub's hub list)
        assertThat(get("/api/v1/patients/" + OLIVIA + "/documents", token).statusCode()).isEqualTo(200);
        faults.set(SandboxFaults.METAHUB, new SandboxFaults.Faults(0, 0.0, true));
        JsonNode body = json.readTree(get("/api/v1/patients/" + OLIVIA + "/documents", token).body());
        assertThat(body.path("metahub").asText()).isEqualTo("unavailable");
        assertThat(statuses(body)).containsEntry("rsb", "ok").containsEntry("cozo", "ok").containsEntry("rsw", "ok");
        GetTransactionListResponseType soap = brokerSoap().getTransactionList(listRequest(OLIVIA, GP, 100));
        assertThat(soap.getAcknowledge().getError()).extracting(e -> e.getCd().get(0).getValue())
                .contains("metahub.unavailable");

        // a professional whose exclusion status is not known: denied, not searched
        HttpResponse<String> unknown = get("/api/v1/patients/" + OLIVIA + "/documents",
                token(CARDIOLOGIST, "persphysician", "Marc Delvaux"));
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(json.readTree(unknown.body()).path("reason").asText()).isEqualTo("FACTS_UNAVAILABLE");
    }

    @Test
    void theGateComesFirstOnBothFaces() throws Exception {
        HttpResponse<String> anonymous = get("/api/v1/patients/" + OLIVIA + "/documents", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json.readTree(anonymous.body()).path("reason").asText()).isEqualTo("UNAUTHENTICATED");
        HttpResponse<String> excluded = get("/api/v1/patients/" + OLIVIA + "/documents",
                token("14567816000", "persphysician", "Sarah Haddad"));
        assertThat(json.readTree(excluded.body()).path("reason").asText()).isEqualTo("EXCLUDED");
        HttpResponse<String> badScope = get("/api/v1/patients/" + OLIVIA + "/documents?scope=everywhere",
                token(GP, "persphysician", "An Verstraeten"));
        assertThat(badScope.statusCode()).isEqualTo(400);
        GetTransactionListResponseType noLink = brokerSoap().getTransactionList(listRequest(OLIVIA, "41122357403", 10));
        assertThat(noLink.getAcknowledge().isIscomplete()).isFalse();
        assertThat(noLink.getAcknowledge().getError().get(0).getCd().get(0).getValue()).isEqualTo("NO_THERAPEUTIC_LINK");
        assertThat(noLink.getKmehrheader()).isNull();
    }

    @Test
    void aLocalSearchAsksTheHomeHubOnly() throws Exception {
        JsonNode body = json.readTree(get("/api/v1/patients/" + OLIVIA + "/documents?scope=local",
                token(GP, "persphysician", "An Verstraeten")).body());
        assertThat(statuses(body)).containsEntry("rsb", "ok").containsEntry("cozo", "skipped").containsEntry("rsw", "skipped");
        assertThat(body.path("complete").asBoolean()).isTrue();
        assertThat(body.path("documents")).allSatisfy(d -> assertThat(d.path("hub").asText()).isEqualTo("rsb"));
    }

    @Test
    void onlyWhatTheCallerMayListIsShownAndADocumentDeclaredAtTwoHubsShowsOnce() throws Exception {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        link(patient, DENTIST, "consultation", LocalDate.now().minusDays(5));
        String sha = "ab".repeat(32);
        declare("rsb", patient, "SEARCH-SUMEHR", "sumehr", sha);
        declare("cozo", patient, "SEARCH-SUMEHR-AGAIN", "sumehr", sha); // the same document, declared twice
        declare("rsb", patient, "SEARCH-BIRTH", "ebirth-mother-medicalform", null);
        var lab = declare("rsb", patient, "SEARCH-LAB", "labresult", null);
        hide(lab, GP);

        JsonNode gp = json.readTree(get("/api/v1/patients/" + patient + "/documents",
                token(GP, "persphysician", "An Verstraeten")).body());
        assertThat(gp.path("complete").asBoolean()).isTrue();
        assertThat(titlesByType(gp)).containsExactlyInAnyOrder("sumehr", "ebirth-mother-medicalform");
        JsonNode dentist = json.readTree(get("/api/v1/patients/" + patient + "/documents",
                token(DENTIST, "persdentist", "Pieter Coppens")).body());
        // dentist x childbirth report: filtered; x labresult: none; x sumehr: list (a partial view)
        assertThat(titlesByType(dentist)).containsExactly("sumehr");
    }

    static List<String> titlesByType(JsonNode body) {
        List<String> types = new ArrayList<>();
        body.path("documents").forEach(d -> types.add(d.path("type").asText()));
        return types;
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, String> statuses(JsonNode body) {
        Map<String, String> statuses = new java.util.LinkedHashMap<>();
        body.path("hubs").forEach(h -> statuses.put(h.path("hub").asText(), h.path("status").asText()));
        return statuses;
    }

    static JsonNode hubNode(JsonNode body, String hub) {
        for (JsonNode h : body.path("hubs")) {
            if (h.path("hub").asText().equals(hub)) {
                return h;
            }
        }
        throw new AssertionError("no outcome for hub " + hub);
    }

    IntraHubPortType brokerSoap() {
        IntraHubPortType port = HubClients.create(IntraHubPortType.class, URI.create(base() + "/services/intrahub/v3"),
                new HttpEndpoint(base() + "/services/intrahub/v3", Duration.ofSeconds(5), Duration.ofSeconds(20)),
                org.apache.cxf.annotations.SchemaValidation.SchemaValidationType.BOTH);
        Map<String, Object> context = ((BindingProvider) port).getRequestContext();
        context.put(BindingProvider.USERNAME_PROPERTY, "sandbox-client");
        context.put(BindingProvider.PASSWORD_PROPERTY, "sandbox-soap-secret");
        return port;
    }

    static GetTransactionListRequestType listRequest(String patient, String nihii, int maxrows) {
        RequestListType header = Kmehr.requestList(Kmehr.professionalParty(nihii, null, "persphysician", "Dr", nihii),
                OffsetDateTime.now());
        header.setMaxrows(BigDecimal.valueOf(maxrows));
        GetTransactionListRequestType request = new GetTransactionListRequestType();
        request.setRequest(header);
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient(patient));
        request.setSelect(select);
        return request;
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static LocalDate today() {
        return LocalDate.now();
    }
}
