package be.recordbroker.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.WebServiceException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.fgov.ehealth.hubservices.core.v3.AccessRightType;
import be.fgov.ehealth.hubservices.core.v3.ConsentType;
import be.fgov.ehealth.hubservices.core.v3.DeclareTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.FolderType;
import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailResponseType;
import be.fgov.ehealth.hubservices.core.v3.HCPartyIdType;
import be.fgov.ehealth.hubservices.core.v3.KmehrHeaderDeclareTransactionType;
import be.fgov.ehealth.hubservices.core.v3.PutAccessRightRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutPatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutTherapeuticLinkRequestType;
import be.fgov.ehealth.hubservices.core.v3.RequestListType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.RevokePatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetPatientAuditTrailType;
import be.fgov.ehealth.hubservices.core.v3.TherapeuticLinkType;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINK;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINKschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.metahub.v1.PutTherapeuticExclusionRequestType;
import be.recordbroker.metahub.v1.TherapeuticExclusionType;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * The gate and the audit trail end to end, through the broker's REST and SOAP faces, against the sandbox hubs and
 * metahub. Each test sets up its own patient and facts through the hubs' SOAP operations (patients absent from the
 * seed), so that no cached fact of another test can decide for it.
 */
class AccessGateIntegrationTest extends SandboxIntegrationTest {

    // Professionals of the sandbox seed (the sandbox token service only signs known identities' claims as given)
    static final String GP = "12345625004";
    static final String CARDIOLOGIST = "13456769580";
    static final String EMERGENCY = "14567816000";
    static final String NURSE = "41122357403";


    @Autowired
    AuditedAccessGate gate;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @Autowired
    JdbcAuditTrail trail;

    // ------------------------------------------------------------------ REST

    // The audit trail is the patient's (issue 12): professionals' decisions are exercised through the search, which
    // passes the same gate; the patient reads them in his trail.

    @Test
    void restAllowsALinkedPhysicianAndEveryClassOfDenialIsAnsweredAndAudited() throws Exception {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        exclude(patient, EMERGENCY);
        String gp = token(GP, "persphysician", "An Verstraeten");
        String docs = "/api/v1/patients/" + patient + "/documents";

        HttpResponse<String> allowed = get(docs, gp, null);
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        // a professional never reads the trail, whatever his link or emergency
        assertProblem(get("/api/v1/patients/" + patient + "/audit", gp, null), 403, "AUDIT_TRAIL_PATIENT_ONLY");

        // unauthenticated refusals are answered (by Spring Security, before the gate) and counted, not written to the
        // patient's trail
        long anonymousBefore = unauthenticated();
        assertProblem(get(docs, null, null), 401, "UNAUTHENTICATED");
        assertProblem(get(docs, "not.a.jwt", null), 401, "UNAUTHENTICATED");
        assertProblem(get(docs, forgedToken(gp), null), 401, "UNAUTHENTICATED");
        assertThat(unauthenticated()).isEqualTo(anonymousBefore + 3);
        assertProblem(get("/api/v1/patients/61031512351/documents", gp, null), 400, "INVALID_SSIN");
        String emergency = token(EMERGENCY, "persphysician", "Sarah Haddad");
        assertProblem(get(docs, emergency, "Unconscious patient brought in by ambulance"), 403, "EXCLUDED");
        String cardiologist = token(CARDIOLOGIST, "persphysician", "Marc Delvaux");
        assertProblem(get(docs, cardiologist, null), 403, "NO_THERAPEUTIC_LINK");
        assertProblem(get(docs, cardiologist, "urgent"), 400, "BTG_REASON_INVALID");
        String nurse = token(NURSE, "persnurse", "Koen Baert");
        assertProblem(get(docs, nurse, "Patient collapsed at home"), 403, "BTG_NOT_ALLOWED");
        HttpResponse<String> btg = get(docs, cardiologist, "Chest pain at the emergency department");
        assertThat(btg.statusCode()).as(btg.body()).isEqualTo(200);

        String otherCitizen = token(null, "patient", "Somebody Else", "62042023411");
        assertProblem(get("/api/v1/patients/" + patient + "/audit", otherCitizen, null), 403, "NOT_THE_PATIENT");

        // the patient sees all of it: who, the decision, the reason, the emergency justification
        String himself = token(null, "patient", "The Patient", patient);
        HttpResponse<String> own = get("/api/v1/patients/" + patient + "/audit", himself, null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        List<String> reasons = new ArrayList<>();
        json.readTree(own.body()).path("entries").forEach(e -> reasons.add(e.path("reason").asText()));
        assertThat(reasons).containsExactly("PATIENT_HIMSELF", "NOT_THE_PATIENT", "BREAK_THE_GLASS", "BTG_NOT_ALLOWED",
                "BTG_REASON_INVALID", "NO_THERAPEUTIC_LINK", "EXCLUDED", "AUDIT_TRAIL_PATIENT_ONLY", "THERAPEUTIC_LINK");
        // unauthenticated REST calls are refused by Spring Security before the gate: counted, not audited
        JsonNode btgEntry = json.readTree(own.body()).path("entries").get(2);
        assertThat(btgEntry.path("breakTheGlass").asText()).isEqualTo("Chest pain at the emergency department");
        assertThat(btgEntry.path("actor").path("nihii").asText()).isEqualTo(CARDIOLOGIST);
        assertThat(btgEntry.path("decision").asText()).isEqualTo("allow");
        assertThat(json.readTree(own.body()).path("entries")).hasSize(9);
    }

    @Test
    void restNoConsentAndARevokedConsent() throws Exception {
        String never = freshPatient();
        link(never, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        String gp = token(GP, "persphysician", "An Verstraeten");
        assertProblem(get("/api/v1/patients/" + never + "/documents", gp, null), 403, "NO_CONSENT");

        String revoked = freshPatient();
        consent(revoked);
        revokeConsent(revoked);
        link(revoked, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        assertProblem(get("/api/v1/patients/" + revoked + "/documents", gp, null), 403, "NO_CONSENT");
        // the patient still reads who tried
        HttpResponse<String> own = get("/api/v1/patients/" + revoked + "/audit", token(null, "patient", "P", revoked), null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(json.readTree(own.body()).path("entries").get(1).path("reason").asText()).isEqualTo("NO_CONSENT");
    }

    @Test
    void whenNoHubCanGiveTheFactsAccessIsDeniedAndAudited() throws Exception {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        String gp = token(GP, "persphysician", "An Verstraeten");
        for (String hub : List.of("rsb", "cozo", "rsw")) {
            faults.set(hub, new SandboxFaults.Faults(0, 0.0, true));
        }
        HttpResponse<String> denied = get("/api/v1/patients/" + patient + "/documents", gp, null);
        assertProblem(denied, 503, "FACTS_UNAVAILABLE");
        assertThat(json.readTree(denied.body()).path("detail").asText()).contains("rsw");
        faults.clearAll();
        HttpResponse<String> own = get("/api/v1/patients/" + patient + "/audit", token(null, "patient", "P", patient), null);
        assertThat(json.readTree(own.body()).path("entries").get(1).path("reason").asText()).isEqualTo("FACTS_UNAVAILABLE");
        // one hub down: the next one answers
        faults.set("rsb", new SandboxFaults.Faults(0, 0.0, true));
        assertThat(gate.decide(new AccessRequest(professional(GP, "persphysician"), patient, AccessAction.SEARCH, null,
                null, null, "rest", "one-hub-down", java.time.Instant.now())).reason())
                .isEqualTo(AccessReason.THERAPEUTIC_LINK);
    }

    @Test
    void documentLevelRulesUseTheHubsAccessRightsAndTheMatrix() throws Exception {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        link(patient, NURSE, "homecare", LocalDate.now().minusMonths(1));
        var declared = declare(patient, "ACCESS-IT-1", "labresult");
        hide(declared, GP);
        Professional gp = professional(GP, "persphysician");
        Professional nurse = professional(NURSE, "persnurse");
        DocumentRef lab = new DocumentRef("rsb", "RSBID", "ACCESS-IT-1", "labresult", null);
        DocumentRef birth = new DocumentRef("rsb", "RSBID", "ACCESS-IT-1", "ebirth-mother-medicalform", null);

        assertThat(read(gp, patient, lab).reason()).isEqualTo(AccessReason.ACCESS_RIGHT_DENIED);
        assertThat(gate.gate().listable(gp, lab)).isFalse();
        assertThat(read(nurse, patient, lab).reason()).isEqualTo(AccessReason.THERAPEUTIC_LINK);
        assertThat(gate.gate().listable(nurse, lab)).isTrue();
        assertThat(read(nurse, patient, birth).reason()).isEqualTo(AccessReason.MATRIX_DENIED);
        assertThat(gate.gate().listable(nurse, birth)).isTrue();
        assertThat(trail.forPatient(patient, 10, 0)).extracting(e -> e.reason())
                .containsExactly("MATRIX_DENIED", "THERAPEUTIC_LINK", "ACCESS_RIGHT_DENIED");
    }

    // ------------------------------------------------------------------ SOAP

    @Test
    void soapAnswersTheTrailToThePatientOnlyAndAnswersDenialsWithTheReason() throws Exception {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        IntraHubPortType broker = brokerSoap("sandbox-client", "sandbox-soap-secret");

        // linked or in an emergency, a professional does not read the patient's trail
        GetPatientAuditTrailResponseType linked = broker.getPatientAuditTrail(auditTrailRequest(patient, GP, null));
        assertThat(linked.getAcknowledge().isIscomplete()).isFalse();
        assertThat(linked.getAcknowledge().getError().get(0).getCd().get(0).getValue())
                .isEqualTo("AUDIT_TRAIL_PATIENT_ONLY");
        assertThat(linked.getTransactionaccesslist()).isNull();
        GetPatientAuditTrailResponseType btg = broker.getPatientAuditTrail(
                auditTrailRequest(patient, CARDIOLOGIST, "Cardiac arrest in the waiting room"));
        assertThat(btg.getAcknowledge().getError().get(0).getCd().get(0).getValue())
                .isEqualTo("AUDIT_TRAIL_PATIENT_ONLY");

        GetPatientAuditTrailResponseType anonymous = broker.getPatientAuditTrail(auditTrailRequest(patient, null, null));
        assertThat(anonymous.getAcknowledge().getError().get(0).getCd().get(0).getValue()).isEqualTo("UNAUTHENTICATED");

        // the REST trail shows the SOAP refusals too (not the unauthenticated one: counted, not audited)
        HttpResponse<String> own = get("/api/v1/patients/" + patient + "/audit", token(null, "patient", "P", patient), null);
        List<String> faces = new ArrayList<>();
        json.readTree(own.body()).path("entries").forEach(e -> faces.add(e.path("face").asText() + ":" + e.path("reason").asText()));
        assertThat(faces).containsExactly("rest:PATIENT_HIMSELF", "soap:AUDIT_TRAIL_PATIENT_ONLY",
                "soap:AUDIT_TRAIL_PATIENT_ONLY");
    }

    @Test
    void soapRefusesCallersWithoutValidTransportCredentialsBeforeReadingTheRequest() throws Exception {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        assertThatThrownBy(() -> brokerSoap(null, null).getPatientAuditTrail(auditTrailRequest(patient, GP, null)))
                .isInstanceOf(WebServiceException.class);
        assertThatThrownBy(() -> brokerSoap("sandbox-client", "wrong-secret").getPatientAuditTrail(
                auditTrailRequest(patient, GP, null))).isInstanceOf(WebServiceException.class);
        HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create(base() + "/services/intrahub/v3"))
                .header("Content-Type", "text/xml").header("SOAPAction",
                        "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetPatientAuditTrail\"")
                .POST(HttpRequest.BodyPublishers.ofString("<x/>")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(raw.body()).contains("UNAUTHENTICATED");
        assertThat(trail.forPatient(patient, 10, 0)).isEmpty();
        // the contract stays public
        HttpResponse<String> wsdl = http.send(HttpRequest.newBuilder(URI.create(base() + "/services/intrahub/v3?wsdl"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wsdl.statusCode()).isEqualTo(200);
        assertThat(wsdl.body()).contains("GetPatientAuditTrail");
    }

    @Test
    void theVerificationEndpointWalksTheChain() throws Exception {
        HttpResponse<String> response = opsGet("/api/v1/admin/audit/verify");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("intact").asBoolean()).isTrue();
    }

    // ------------------------------------------------------------------ helpers


    AccessDecision read(Professional who, String patient, DocumentRef document) {
        return gate.decide(new AccessRequest(who, patient, AccessAction.READ, document, null, null, "rest", "it",
                Instant.now()));
    }

    static Professional professional(String nihii, String profession) {
        return new Professional(Nihii.parse(nihii, NihiiValidation.LENIENT), null, profession, nihii);
    }

    IntraHubPortType brokerSoap(String user, String secret) {
        IntraHubPortType port = HubClients.create(IntraHubPortType.class, URI.create(base() + "/services/intrahub/v3"),
                new HttpEndpoint(base() + "/services/intrahub/v3", Duration.ofSeconds(5), Duration.ofSeconds(20)),
                org.apache.cxf.annotations.SchemaValidation.SchemaValidationType.BOTH);
        if (user != null) {
            Map<String, Object> context = ((BindingProvider) port).getRequestContext();
            context.put(BindingProvider.USERNAME_PROPERTY, user);
            context.put(BindingProvider.PASSWORD_PROPERTY, secret);
        }
        return port;
    }

    static GetPatientAuditTrailRequestType auditTrailRequest(String patient, String nihii, String btg) {
        HcpartyType author = nihii == null ? Kmehr.applicationParty("some-software", "software")
                : Kmehr.professionalParty(nihii, null, "persphysician", "Dr", nihii);
        RequestListType header = Kmehr.requestList(author, OffsetDateTime.now());
        header.setBreaktheglass(btg);
        GetPatientAuditTrailRequestType request = new GetPatientAuditTrailRequestType();
        request.setRequest(header);
        SelectGetPatientAuditTrailType select = new SelectGetPatientAuditTrailType();
        select.setPatient(Kmehr.patient(patient));
        request.setSelect(select);
        return request;
    }

    HttpResponse<String> get(String path, String token, String breakTheGlass) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (breakTheGlass != null) {
            request.header("X-Break-The-Glass", breakTheGlass);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    void assertProblem(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).path("reason").asText()).isEqualTo(reason);
    }

    /** The same claims signed by another key: the broker must not believe it. */
    static String forgedToken(String genuine) throws Exception {
        com.nimbusds.jwt.SignedJWT parsed = com.nimbusds.jwt.SignedJWT.parse(genuine);
        com.nimbusds.jose.jwk.RSAKey other = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                .keyID(parsed.getHeader().getKeyID()).generate();
        com.nimbusds.jwt.SignedJWT forged = new com.nimbusds.jwt.SignedJWT(parsed.getHeader(), parsed.getJWTClaimsSet());
        forged.sign(new com.nimbusds.jose.crypto.RSASSASigner(other));
        return forged.serialize();
    }

    private long unauthenticated() {
        var counter = meters.find("rb.unauthenticated").tag("face", "rest").counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
