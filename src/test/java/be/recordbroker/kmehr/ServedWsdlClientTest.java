package be.recordbroker.kmehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.namespace.QName;

import jakarta.xml.ws.Service;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.fgov.ehealth.hubservices.core.v3.GetPatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetPatientConsentResponseType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListResponseType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetPatientConsentType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.metahub.v1.GetPatientHubLinksRequestType;
import be.recordbroker.metahub.v1.MetaHubPortType;
import be.recordbroker.metahub.v1.SelectGetPatientHubLinksType;
import be.recordbroker.sandbox.SandboxNetwork;

/**
 * A plain JAX-WS client built from the WSDL a sandbox hub serves ({@code ?wsdl}), not from the project's classpath
 * copy: what a hospital's own SOAP stack would do against a hub.
 */
class ServedWsdlClientTest extends SandboxIntegrationTest {

    private static final String PROTOCOL_NS = "http://www.ehealth.fgov.be/hubservices/protocol/v3";
    private static final List<String> OPERATIONS = List.of("GetTransactionList", "GetTransaction", "DeclareTransaction",
            "PutTransaction", "RevokeTransaction", "PutPatient", "GetPatient", "PutPatientConsent", "GetPatientConsent",
            "RevokePatientConsent", "PutTherapeuticLink", "GetTherapeuticLink", "RevokeTherapeuticLink", "PutAccessRight",
            "GetAccessRight", "RevokeAccessRight", "GetPatientAuditTrail");
    private static final HcpartyType GP = Kmehr.professionalParty("12345625004", null, "persphysician", "An", "Verstraeten");

    @Autowired
    SandboxNetwork sandbox;

    @Test
    void aJaxWsClientMadeFromTheServedWsdlCallsTheHub() throws Exception {
        Service service = Service.create(URI.create(base() + "/sandbox/hubs/cozo/intrahub/v3?wsdl").toURL(),
                new QName(PROTOCOL_NS, "IntraHubService"));
        IntraHubPortType port = service.getPort(new QName(PROTOCOL_NS, "IntraHubPort"), IntraHubPortType.class);
        var patient = sandbox.seed().patients().stream().filter(p -> p.hubs().contains("cozo") && p.consent() != null
                && p.consent().revokeDate() == null).findFirst().orElseThrow();

        GetPatientConsentRequestType consentRequest = new GetPatientConsentRequestType();
        consentRequest.setRequest(Kmehr.request(GP, OffsetDateTime.now()));
        SelectGetPatientConsentType select = new SelectGetPatientConsentType();
        select.setPatient(Kmehr.patient(patient.ssin()));
        consentRequest.setSelect(select);
        GetPatientConsentResponseType consent = port.getPatientConsent(consentRequest);

        assertThat(consent.getAcknowledge().isIscomplete()).isTrue();
        assertThat(Kmehr.localDate(consent.getConsent().getSigndate())).isEqualTo(patient.consent().signDate());

        GetTransactionListRequestType listRequest = new GetTransactionListRequestType();
        listRequest.setRequest(Kmehr.requestList(GP, OffsetDateTime.now()));
        SelectGetTransactionListType listSelect = new SelectGetTransactionListType();
        listSelect.setPatient(Kmehr.patient(patient.ssin()));
        listRequest.setSelect(listSelect);
        GetTransactionListResponseType list = port.getTransactionList(listRequest);
        long seeded = sandbox.seededDocuments().stream()
                .filter(d -> d.hub().equals("cozo") && d.patient().equals(patient.ssin())).count();
        assertThat(list.getKmehrheader().getFolder().getTransaction()).hasSize((int) seeded);
    }

    @Test
    void aJaxWsClientMadeFromTheServedMetahubWsdlCallsTheMetahub() throws Exception {
        Service service = Service.create(URI.create(base() + "/sandbox/metahub?wsdl").toURL(),
                new QName("http://www.recordbroker.be/metahub/v1", "MetaHubService"));
        MetaHubPortType port = service.getPort(new QName("http://www.recordbroker.be/metahub/v1", "MetaHubPort"),
                MetaHubPortType.class);
        var patient = sandbox.seed().patients().get(0);
        GetPatientHubLinksRequestType request = new GetPatientHubLinksRequestType();
        request.setRequest(Kmehr.request(GP, OffsetDateTime.now()));
        SelectGetPatientHubLinksType select = new SelectGetPatientHubLinksType();
        select.setPatient(Kmehr.patient(patient.ssin()));
        request.setSelect(select);

        assertThat(port.getPatientHubLinks(request).getPatienthublinklist().getPatienthublink())
                .hasSize(patient.hubs().size());
    }

    @Test
    void theServedWsdlNamesEveryOperationWithItsOfficialSoapActionAndServesItsSchemas() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String wsdl = http.send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/hubs/rsw/intrahub/v3?wsdl")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        for (String operation : OPERATIONS) {
            assertThat(wsdl).contains("soapAction=\"urn:be:fgov:ehealth:intrahub:protocol:v3:" + operation + "\"");
        }
        assertThat(wsdl).contains("targetNamespace=\"" + PROTOCOL_NS + "\"");

        // follow every ?xsd= import, transitively: all schemas are served
        Set<String> seen = new LinkedHashSet<>();
        List<String> pending = new java.util.ArrayList<>(schemaLocations(wsdl));
        while (!pending.isEmpty()) {
            String location = pending.remove(0);
            if (!seen.add(location)) {
                continue;
            }
            HttpResponse<String> xsd = http.send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(xsd.statusCode()).as(location).isEqualTo(200);
            assertThat(xsd.body()).as(location).contains("schema");
            pending.addAll(schemaLocations(xsd.body()));
        }
        assertThat(seen).anyMatch(l -> l.endsWith("hubservices-core-v3.xsd"))
                .anyMatch(l -> l.endsWith("kmehr-v1.xsd"))
                .anyMatch(l -> l.endsWith("kmehr-cd-v1.xsd"))
                .anyMatch(l -> l.endsWith("kmehr-id-v1.xsd"));
    }

    private static List<String> schemaLocations(String document) {
        Matcher m = Pattern.compile("schemaLocation=\"([^\"]+)\"").matcher(document);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1).replace("&amp;", "&"));
        }
        return found;
    }
}
