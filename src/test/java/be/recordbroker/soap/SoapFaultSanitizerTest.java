package be.recordbroker.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Base64;

import javax.xml.stream.XMLStreamException;

import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.ExchangeImpl;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.xml.sax.SAXParseException;

import be.recordbroker.TestSoap;
import be.recordbroker.SandboxIntegrationTest;

/**
 * SQL and driver text never reach a SOAP caller (issue 12, low finding): an unexpected exception's fault becomes a
 * generic reason with a trace id; the broker's own coded faults pass unchanged; a request that breaks the served schema
 * gets a client fault that names the rule and position, never the values it carried.
 */
class SoapFaultSanitizerTest extends SandboxIntegrationTest {

    private static final String SQL = "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00; "
            + "INSERT INTO audit_event (patient_ssin) VALUES ('93051822361')";

    @Autowired
    CxfEndpoint brokerIntraHub;

    @Test
    void anUnexpectedExceptionBecomesAGenericReasonWithATraceId() {
        Fault fault = SoapFaultSanitizer.sanitize(new Fault(new SQLException(SQL, "22021")), false, "trace-123");

        assertThat(fault.getMessage()).isEqualTo(SoapFaultSanitizer.INTERNAL + "trace-123")
                .doesNotContain("INSERT", "audit_event", "93051822361", "UTF8");
        assertThat(fault.getCause()).isNull();
        assertThat(fault.getFaultCode()).isEqualTo(SoapFault.FAULT_CODE_SERVER);
        // also when Camel wrapped it once more, or the answer failed to validate on the way out
        assertThat(SoapFaultSanitizer.sanitize(new Fault(new RuntimeException("wrapped",
                new SQLException(SQL))), false, "t").getMessage()).doesNotContain("INSERT");
        assertThat(SoapFaultSanitizer.sanitize(new Fault(new RuntimeException(new SAXParseException(
                "cvc-complex-type.2.4.b: 93051822361", null))), true, "t").getMessage())
                .startsWith(SoapFaultSanitizer.INTERNAL);
    }

    @Test
    void theBrokersOwnCodedFaultsPassUnchanged() {
        SoapFault coded = new SoapFault("operation PutTransaction is not offered by record-broker",
                SoapFault.FAULT_CODE_CLIENT);
        assertThat(SoapFaultSanitizer.sanitize(coded, false, "t")).isSameAs(coded);
        // a server fault without a cause (say, a hub's own, passed on) is not the broker's text
        SoapFault hubs = new SoapFault("ORA-00942: table or view does not exist", SoapFault.FAULT_CODE_SERVER);
        assertThat(SoapFaultSanitizer.sanitize(hubs, false, "t").getMessage()).startsWith(SoapFaultSanitizer.INTERNAL);
        Fault tooLarge = new Fault(new XMLStreamException(new java.io.IOException(
                "REQUEST_TOO_LARGE: the SOAP request passed the cap of 1048576 bytes")));
        assertThat(SoapFaultSanitizer.sanitize(tooLarge, false, "t").getMessage()).startsWith("REQUEST_TOO_LARGE");
    }

    @Test
    void aSchemaErrorNamesTheRuleAndPlaceButNotTheValues() {
        SAXParseException e = new SAXParseException("cvc-pattern-valid: Value 'SECRET-93051822361' is not facet-valid",
                null, null, 3, 42);
        Fault fault = SoapFaultSanitizer.sanitize(new Fault(new jakarta.xml.bind.UnmarshalException(e)), false, "t");

        assertThat(fault.getMessage()).isEqualTo(SoapFaultSanitizer.INVALID + "cvc-pattern-valid (line 3, column 42)");
        assertThat(fault.getFaultCode()).isEqualTo(SoapFault.FAULT_CODE_CLIENT);
    }

    @Test
    void theInterceptorReplacesTheFaultOnTheMessageAndIsOnTheFacesOutFaultChain() {
        Message message = new MessageImpl();
        Exchange exchange = new ExchangeImpl();
        exchange.setInMessage(new MessageImpl());
        message.setExchange(exchange);
        message.setContent(Exception.class, new Fault(new SQLException(SQL)));

        new SoapFaultSanitizer().handleMessage(message);

        assertThat(message.getContent(Exception.class).getMessage()).startsWith(SoapFaultSanitizer.INTERNAL)
                .doesNotContain("INSERT");
        assertThat(brokerIntraHub.getOutFaultInterceptors()).anyMatch(SoapFaultSanitizer.class::isInstance);
    }

    @Test
    void aRequestThatBreaksTheSchemaGetsAClearClientFaultWithoutItsBody() throws Exception {
        HttpResponse<String> invalid = post(listRequest("""
                <c:patient><c:id S="INSS" SV="1.0">93051822361</c:id><c:nickname>SECRET-NICKNAME</c:nickname></c:patient>"""));

        assertThat(invalid.statusCode()).isEqualTo(500);
        assertThat(invalid.body()).contains("<faultcode>soap:Client</faultcode>")
                .contains(SoapFaultSanitizer.INVALID + "cvc-")
                .doesNotContain("SECRET-NICKNAME", "nickname", "93051822361");

        HttpResponse<String> malformed = post(listRequest("<c:patient><c:id S=\"INSS\">SECRET</c:patient>"));
        assertThat(malformed.statusCode()).isEqualTo(500);
        assertThat(malformed.body()).contains("soap:Client").doesNotContain("SECRET");
    }

    @Test
    void aValidRequestIsStillAnswered() throws Exception {
        HttpResponse<String> valid = post(listRequest("<c:patient><c:id S=\"INSS\" SV=\"1.0\">93051822361</c:id></c:patient>"));

        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
        assertThat(valid.body()).contains("GetTransactionListResponse");
    }

    private static String listRequest(String patient) {
        return TestSoap.intraHubRequest("GetTransactionList", patient);
    }

    private HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/services/intrahub/v3"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetTransactionList\"")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("sandbox-client:sandbox-soap-secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
