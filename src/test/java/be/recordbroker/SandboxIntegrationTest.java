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
                "record-broker.search.timeout=2s",
                "record-broker.search.circuit.wait-in-open-state=2s",
                "record-broker.search.metahub-cache-ttl=0s"})
@AutoConfigureObservability
@Import(WireRecorder.class)
public abstract class SandboxIntegrationTest {

    /** The broker's MLLP port for this test run: free when the run starts, the same for every test class. */
    protected static final int MLLP_PORT = TestIo.freePort();
    /** The Liège sandbox hospital's own listener (routes/sandbox-lge.camel.yaml). */
    protected static final int LGE_MLLP_PORT = TestIo.freePort();

    @LocalServerPort
    protected int port;

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

    protected static RequestType hubRequest() {
        return Kmehr.request(Kmehr.professionalParty("12345625004", null, "persphysician", "An", "Verstraeten"), OffsetDateTime.now());
    }

    protected void consent(String patient) {
        PutPatientConsentRequestType put = new PutPatientConsentRequestType();
        put.setRequest(hubRequest());
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(patient));
        CDCONSENT cd = new CDCONSENT();
        cd.setS(CDCONSENTschemes.CD_CONSENTTYPE);
        cd.setSV("1.0");
        cd.setValue(CDCONSENTvalues.RETROSPECTIVE);
        consent.getCd().add(cd);
        consent.setSigndate(Kmehr.date(LocalDate.now().minusYears(1)));
        put.setConsent(consent);
        assertThat(clients.hub("cozo").putPatientConsent(put).getAcknowledge().isIscomplete()).isTrue();
    }

    protected void revokeConsent(String patient) {
        RevokePatientConsentRequestType revoke = new RevokePatientConsentRequestType();
        revoke.setRequest(hubRequest());
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(patient));
        consent.setRevokedate(Kmehr.date(LocalDate.now().minusDays(1)));
        revoke.setConsent(consent);
        assertThat(clients.hub("rsw").revokePatientConsent(revoke).getAcknowledge().isIscomplete()).isTrue();
    }

    protected void link(String patient, String nihii, String type, LocalDate start) {
        PutTherapeuticLinkRequestType put = new PutTherapeuticLinkRequestType();
        put.setRequest(hubRequest());
        TherapeuticLinkType link = new TherapeuticLinkType();
        link.setPatient(Kmehr.patient(patient));
        HCPartyIdType party = new HCPartyIdType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        link.setHcparty(party);
        CDTHERAPEUTICLINK cd = new CDTHERAPEUTICLINK();
        cd.setS(CDTHERAPEUTICLINKschemes.CD_THERAPEUTICLINKTYPE);
        cd.setSV("1.0");
        cd.setValue(type);
        link.setCd(cd);
        link.setStartdate(Kmehr.date(start));
        put.setTherapeuticlink(link);
        assertThat(clients.hub("rsb").putTherapeuticLink(put).getAcknowledge().isIscomplete()).isTrue();
    }

    protected void exclude(String patient, String nihii) {
        TherapeuticExclusionType exclusion = new TherapeuticExclusionType();
        exclusion.setPatient(Kmehr.patient(patient));
        exclusion.setHcparty(Kmehr.professionalParty(nihii, null, "persphysician", null, null));
        PutTherapeuticExclusionRequestType put = new PutTherapeuticExclusionRequestType();
        put.setRequest(hubRequest());
        put.setTherapeuticexclusion(exclusion);
        assertThat(clients.metahub().putTherapeuticExclusion(put).getAcknowledge().isIscomplete()).isTrue();
    }

    protected be.fgov.ehealth.hubservices.core.v3.TransactionIdType declare(String patient, String localId, String type) {
        return declare("rsb", patient, localId, type, null);
    }

    /** Declares a document of the Brussels sandbox hospital at a hub (by reference), with its content hash if given. */
    protected be.fgov.ehealth.hubservices.core.v3.TransactionIdType declare(String hub, String patient, String localId,
                                                                          String type, String sha256) {
        DeclareTransactionRequestType declare = new DeclareTransactionRequestType();
        declare.setRequest(hubRequest());
        FolderType folder = new FolderType();
        folder.setPatient(Kmehr.patient(patient));
        TransactionSummaryType summary = new TransactionSummaryType();
        summary.getId().add(Kmehr.localId(brokerNetwork.requireHub(hub).sourceLabel(), localId));
        if (sha256 != null) {
            summary.getId().add(Kmehr.localId(Kmehr.SL_SHA256, sha256));
        }
        summary.getCd().add(Kmehr.cdTransaction(type));
        summary.setDate(Kmehr.date(LocalDate.now()));
        summary.setTime(Kmehr.time(java.time.LocalTime.NOON));
        summary.setAuthor(Kmehr.author(Kmehr.professionalParty("12345625004", null, "persphysician", "An", "Verstraeten"),
                Kmehr.organisationParty("71000040", "orghospital", "Sandbox Hospital Brussels")));
        summary.setIscomplete(true);
        summary.setIsvalidated(true);
        summary.setRecorddatetime(Kmehr.dateTime(OffsetDateTime.now()));
        folder.setTransaction(summary);
        KmehrHeaderDeclareTransactionType header = new KmehrHeaderDeclareTransactionType();
        header.setFolder(folder);
        declare.setKmehrheader(header);
        var declared = clients.hub(hub).declareTransaction(declare);
        assertThat(declared.getAcknowledge().isIscomplete()).isTrue();
        return declared.getTransaction();
    }

    protected void hide(be.fgov.ehealth.hubservices.core.v3.TransactionIdType transaction, String nihii) {
        PutAccessRightRequestType put = new PutAccessRightRequestType();
        put.setRequest(hubRequest());
        AccessRightType right = new AccessRightType();
        right.setTransaction(transaction);
        be.fgov.ehealth.hubservices.core.v3.HcpartyType party = new be.fgov.ehealth.hubservices.core.v3.HcpartyType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        right.setHcparty(party);
        CDACCESSRIGHT cd = new CDACCESSRIGHT();
        cd.setS(CDACCESSRIGHTschemes.CD_ACCESSRIGHT);
        cd.setSV("1.0");
        cd.setValue(CDACCESSRIGHTvalues.DISALLOW);
        right.setCd(cd);
        put.setAccessright(right);
        assertThat(clients.hub("rsb").putAccessRight(put).getAcknowledge().isIscomplete()).isTrue();
    }
}
