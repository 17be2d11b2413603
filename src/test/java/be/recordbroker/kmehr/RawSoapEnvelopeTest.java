package be.recordbroker.kmehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import be.recordbroker.TestSoap;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.sandbox.SandboxNetwork;

/** A hand-written SOAP 1.1 envelope, as curl or a foreign stack would send it: the wire format itself. */
class RawSoapEnvelopeTest extends SandboxIntegrationTest {

    private static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String PROTOCOL_NS = "http://www.ehealth.fgov.be/hubservices/protocol/v3";
    private static final String CORE_NS = "http://www.ehealth.fgov.be/hubservices/core/v3";

    @Autowired
    SandboxNetwork sandbox;

    private static String envelope(String ssin) {
        return TestSoap.intraHubRequest("GetPatientConsent", TestSoap.patientSelect(ssin));
    }

    private HttpResponse<String> post(String body, String soapAction) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/sandbox/hubs/rsb/intrahub/v3"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (soapAction != null) {
            request.header("SOAPAction", soapAction);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Element bodyChild(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element body = (Element) document.getElementsByTagNameNS(SOAP_NS, "Body").item(0);
        for (Node n = body.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        throw new AssertionError("empty SOAP body");
    }

    @Test
    void aRawSoap11EnvelopeWithTheOfficialSoapActionIsAnsweredInTheOfficialNamespace() throws Exception {
        var patient = sandbox.seed().patients().stream().filter(p -> p.hubs().contains("rsb") && p.consent() != null)
                .findFirst().orElseThrow();

        HttpResponse<String> response = post(envelope(patient.ssin()),
                "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetPatientConsent\"");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        Element answer = bodyChild(response.body());
        assertThat(answer.getNamespaceURI()).isEqualTo(PROTOCOL_NS);
        assertThat(answer.getLocalName()).isEqualTo("GetPatientConsentResponse");
        Element consent = (Element) answer.getElementsByTagNameNS(CORE_NS, "consent").item(0);
        assertThat(consent.getElementsByTagNameNS(CORE_NS, "signdate").item(0).getTextContent())
                .isEqualTo(patient.consent().signDate().toString());
        assertThat(answer.getElementsByTagNameNS(CORE_NS, "iscomplete").item(0).getTextContent()).isEqualTo("true");
    }

    @Test
    void aSoapActionNamingAnotherOperationIsAFault() throws Exception {
        HttpResponse<String> response = post(envelope("85073003328"),
                "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetTransactionList\"");

        assertThat(response.statusCode()).isEqualTo(500);
        Element fault = bodyChild(response.body());
        assertThat(fault.getNamespaceURI()).isEqualTo(SOAP_NS);
        assertThat(fault.getLocalName()).isEqualTo("Fault");
    }

    @Test
    void anEnvelopeWithADoctypeIsRefusedWithAFault() throws Exception {
        String attack = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                + envelope("85073003328").replace("12345625004.1", "&e;");

        HttpResponse<String> response = post(attack, "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetPatientConsent\"");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(bodyChild(response.body()).getLocalName()).isEqualTo("Fault");
        assertThat(response.body()).doesNotContain(java.net.InetAddress.getLocalHost().getHostName());
    }
}
