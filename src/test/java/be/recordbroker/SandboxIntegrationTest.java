package be.recordbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import be.fgov.ehealth.hubservices.core.v3.AccessRightType;
import be.fgov.ehealth.hubservices.core.v3.ConsentType;
import be.fgov.ehealth.hubservices.core.v3.DeclareTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.FolderType;
import be.fgov.ehealth.hubservices.core.v3.HCPartyIdType;
import be.fgov.ehealth.hubservices.core.v3.KmehrHeaderDeclareTransactionType;
import be.fgov.ehealth.hubservices.core.v3.PutAccessRightRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutPatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutTherapeuticLinkRequestType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.RevokePatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.TherapeuticLinkType;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINK;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINKschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.metahub.v1.PutTherapeuticExclusionRequestType;
import be.recordbroker.metahub.v1.TherapeuticExclusionType;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import be.recordbroker.sandbox.SandboxFaults;

/**
 * Base of the end-to-end tests: the whole broker with the sandbox network on a random port. Every subclass shares
 * one Spring context (same configuration), so the sandbox starts once per test run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"record-broker.data-dir=target/it-data", "record-broker.health.cache=0s",
                "record-broker.ingest.processing-ids=P,T",
                "record-broker.ingest.redelivery.initial-delay=200ms",
                "record-broker.ingest.redelivery.max-delay=2s",
                "record-broker.ingest.redelivery.unannounced-delay=300ms",
                "record-broker.ingest.redelivery.unannounced-waits=4",
                "record-broker.search.timeout=2s",
                // long enough that a busy machine still reads an open circuit in health (its probes come first)
                "record-broker.search.circuit.wait-in-open-state=5s",
                "record-broker.search.metahub-cache-ttl=0s",
                // tracing (issue 16): every trace recorded, into TestSpans
                "management.tracing.sampling.probability=1.0"})
@AutoConfigureObservability
@Import({WireRecorder.class, TestSpans.class})
public abstract class SandboxIntegrationTest {

    /** The broker's MLLP port for this test run: free when the run starts, the same for every test class. */
    protected static final int MLLP_PORT = TestIo.freePort();
    /** The Liège sandbox hospital's own listener (routes/sandbox/sandbox-lge.camel.yaml, sandbox profile only). */
    protected static final int LGE_MLLP_PORT = TestIo.freePort();

    @LocalServerPort
    protected int port;

    /** The management server's port (actuator, admin; role ops). */
    @org.springframework.boot.test.web.server.LocalManagementPort
    protected int managementPort;

    @DynamicPropertySource
    static void mllpPort(DynamicPropertyRegistry registry) {
        registry.add("record-broker.mllp.port", () -> MLLP_PORT);
        registry.add("record-broker.sites.sandbox-lge.mllp-port", () -> LGE_MLLP_PORT);
    }

    @Autowired
    protected SandboxFaults faults;

    @Autowired
    protected HubClients clients;

    @Autowired
    protected be.recordbroker.network.Network brokerNetwork;

    protected final ObjectMapper json = new ObjectMapper();
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    protected WireRecorder wire;

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    /** GET on the management port as the sandbox's ops user. */
    protected HttpResponse<String> opsGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "ops:sandbox-ops-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void resetFaults() {
        faults.clearAll();
    }

    // ------------------------------------------------------------------ test set-up through the sandbox's own faces

    /**
     * A valid SSIN (born before 2000) that no earlier run used: the H2 database under target/it-data outlives a run,
     * and the trail of a patient must hold only this run's rows.
     */
    protected static String freshPatient() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(365 * 69));
        String base = String.format("%02d%02d%02d%03d", birth.getYear() % 100, birth.getMonthValue(),
                birth.getDayOfMonth(), 1 + random.nextInt(997));
        return base + String.format("%02d", 97 - Long.parseLong(base) % 97);
    }

    protected String token(String nihii, String profession, String name) throws Exception {
        return token(nihii, profession, name, null);
    }

    protected String token(String nihii, String profession, String name, String ssin) throws Exception {
        Map<String, String> claims = new java.util.LinkedHashMap<>();
        if (nihii != null) {
            claims.put("nihii", nihii);
        }
        if (ssin != null) {
            claims.put("ssin", ssin);
        }
        claims.put("profession", profession);
        claims.put("name", name);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(claims))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("token").asText();
    }

    // --- facts set up through the hubs' own SOAP operations

    // --- facts set up through the hubs' own SOAP operations (see SandboxSetup)

    protected SandboxSetup setup() {
        return new SandboxSetup(clients, brokerNetwork);
    }

    protected void consent(String patient) {
        setup().consent(patient);
    }

    protected void revokeConsent(String patient) {
        setup().revokeConsent(patient);
    }

    protected void link(String patient, String nihii, String type, LocalDate start) {
        setup().link(patient, nihii, type, start);
    }

    protected void exclude(String patient, String nihii) {
        setup().exclude(patient, nihii);
    }

    protected be.fgov.ehealth.hubservices.core.v3.TransactionIdType declare(String patient, String localId, String type) {
        return setup().declare(patient, localId, type);
    }

    protected be.fgov.ehealth.hubservices.core.v3.TransactionIdType declare(String hub, String patient, String localId,
                                                                          String type, String sha256) {
        return setup().declare(hub, patient, localId, type, sha256);
    }

    protected void hide(be.fgov.ehealth.hubservices.core.v3.TransactionIdType transaction, String nihii) {
        setup().hide(transaction, nihii);
    }
}
