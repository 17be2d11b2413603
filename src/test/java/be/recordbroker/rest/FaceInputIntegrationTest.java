package be.recordbroker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.WebServiceException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.security.RestCaller;

/**
 * Every query parameter of every face, with a control character in it, end to end: REST answers 400 problem+json
 * INVALID_PARAMETER, SOAP a client fault — before the gate: no audit row, no gate decision at all.
 */
class FaceInputIntegrationTest extends SandboxIntegrationTest {

    static final String GP = "12345625004";
    /** NUL, SOH, DEL, NEL (C1), LINE SEPARATOR: percent-encoded UTF-8. */
    static final List<String> BAD = List.of("%00", "%01", "%7F", "%C2%85", "%E2%80%A8");

    @Autowired
    JdbcAuditTrail trail;
    @Autowired
    AuditedAccessGate gate;

    @Test
    void everyRestParameterWithAControlCharacterIs400BeforeTheGate() throws Exception {
        String patient = freshPatient();
        String token = token(GP, "persphysician", "An Verstraeten");
        long anonymousBefore = gate.anonymous().count("rest");
        Map<String, String> documents = Map.of("type", "labresult", "from", "2026-01-01", "to", "2026-12-31",
                "scope", "global", "page", "0", "pageSize", "10");
        for (String c : BAD) {
            for (var p : documents.entrySet()) {
                assertInvalid(get("/api/v1/patients/" + patient + "/documents?" + p.getKey() + "=" + p.getValue() + c,
                        token, null), p.getKey());
            }
            assertInvalid(get("/api/v1/patients/" + patient + "/documents?type=sumehr&type=lab" + c + "result", token,
                    null), "type");
            for (String p : List.of("limit", "offset")) {
                assertInvalid(get("/api/v1/patients/" + patient + "/audit?" + p + "=1" + c, token, null), p);
            }
            assertThat(get("/api/v1/patients/" + patient + c + "/documents", token, null).statusCode()).isEqualTo(400);
            assertThat(get("/api/v1/documents/abc" + c + "def", token, null).statusCode()).isEqualTo(400);
        }
        assertInvalid(get("/api/v1/patients/" + patient + "/documents", token, "Chest\tpain at the emergency"),
                RestCaller.BREAK_THE_GLASS_HEADER);
        assertInvalid(get("/api/v1/documents/abcdef", token, "Chest\tpain at the emergency"),
                RestCaller.BREAK_THE_GLASS_HEADER);
        assertThat(trail.forPatient(patient, 100, 0)).isEmpty();
        assertThat(gate.anonymous().count("rest")).isEqualTo(anonymousBefore);
    }

    @Test
    void everySoapFieldWithAControlCharacterIsAFaultBeforeTheGate() throws Exception {
        String patient = freshPatient();
        IntraHubPortType broker = brokerSoap();
        for (String c : List.of("\u007f", "\u0085", "\u2028", "\t")) {
            GetTransactionListRequestType list = FaceInputValidationTest.transactionList("labresult");
            list.getSelect().setPatient(be.recordbroker.kmehr.Kmehr.patient(patient));
            list.getSelect().getTransaction().getCd().get(0).setValue("lab" + c + "result");
            assertFault(() -> broker.getTransactionList(list));

            GetTransactionListRequestType id = FaceInputValidationTest.transactionList("labresult");
            id.getSelect().setPatient(be.recordbroker.kmehr.Kmehr.patient(patient));
            id.getRequest().getId().setValue("req" + c + "1");
            assertFault(() -> broker.getTransactionList(id));

            GetTransactionListRequestType name = FaceInputValidationTest.transactionList("labresult");
            name.getSelect().setPatient(be.recordbroker.kmehr.Kmehr.patient(patient));
            name.getRequest().getAuthor().getHcparty().get(0).setFamilyname("Dr" + c + "X");
            assertFault(() -> broker.getTransactionList(name));

            GetPatientAuditTrailRequestType audit = FaceInputValidationTest.auditTrail();
            audit.getSelect().setPatient(be.recordbroker.kmehr.Kmehr.patient(patient));
            audit.getSelect().setBreaktheglass("Cardiac arrest" + c + "in the waiting room");
            assertFault(() -> broker.getPatientAuditTrail(audit));

            assertFault(() -> broker.getTransaction(FaceInputValidationTest.getTransaction("doc" + c + "1")));
        }
        assertThat(trail.forPatient(patient, 100, 0)).isEmpty();
    }

    void assertInvalid(HttpResponse<String> response, String parameter) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).path("reason").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(json.readTree(response.body()).path("detail").asText()).startsWith(parameter + ":");
    }

    static void assertFault(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(WebServiceException.class);
    }

    HttpResponse<String> get(String path, String token, String breakTheGlass) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (breakTheGlass != null) {
            request.header(RestCaller.BREAK_THE_GLASS_HEADER, breakTheGlass);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    IntraHubPortType brokerSoap() {
        IntraHubPortType port = HubClients.create(IntraHubPortType.class, URI.create(base() + "/services/intrahub/v3"),
                new HttpEndpoint(base() + "/services/intrahub/v3", Duration.ofSeconds(5), Duration.ofSeconds(20)));
        Map<String, Object> context = ((BindingProvider) port).getRequestContext();
        context.put(BindingProvider.USERNAME_PROPERTY, "sandbox-client");
        context.put(BindingProvider.PASSWORD_PROPERTY, "sandbox-soap-secret");
        return port;
    }
}
