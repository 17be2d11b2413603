package be.recordbroker.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.recordbroker.TestSoap;
import be.recordbroker.SandboxIntegrationTest;

/**
 * Attacks on the broker's own SOAP face ({@code /services/intrahub/v3}), as raw HTTP posts from an authenticated
 * caller: a DOCTYPE with an external entity (a local file, a URL), entity expansion ("billion laughs"), requests
 * over the size cap, announced or chunked, and a header the firewall refuses. Each gets a SOAP fault; no file is read, no URL is fetched, and the face
 * keeps answering.
 */
class SoapFaceHardeningTest extends SandboxIntegrationTest {

    private static final String ACTION = "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetPatientAuditTrail\"";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer dtdServer;
    private final AtomicInteger dtdFetches = new AtomicInteger();
    private Path secret;
    private String marker;

    @BeforeEach
    void bait() throws Exception {
        marker = "SECRET-" + UUID.randomUUID();
        secret = Files.createTempFile("soap-xxe", ".txt");
        Files.writeString(secret, marker);
        dtdServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dtdServer.createContext("/", exchange -> {
            dtdFetches.incrementAndGet();
            byte[] dtd = ("<!ENTITY % payload SYSTEM \"" + secret.toUri() + "\">").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, dtd.length);
            exchange.getResponseBody().write(dtd);
            exchange.close();
        });
        dtdServer.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        dtdServer.stop(0);
        Files.deleteIfExists(secret);
    }

    static String envelope(String id) {
        return TestSoap.intraHubRequest("GetPatientAuditTrail", id, "persphysician",
                TestSoap.patientSelect("78040814421"));
    }

    @Test
    void aPlainRequestIsAnswered() throws Exception {
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofString(envelope("12345625004.1")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("GetPatientAuditTrailResponse");
    }

    @Test
    void anExternalEntityNamingALocalFileIsAFaultAndTheFileIsNotRead() throws Exception {
        String attack = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + envelope("&xxe;");
        assertFault(post(HttpRequest.BodyPublishers.ofString(attack)));
    }

    @Test
    void anExternalDtdOrParameterEntityIsAFaultAndNothingIsFetched() throws Exception {
        String url = "http://127.0.0.1:" + dtdServer.getAddress().getPort() + "/evil.dtd";
        assertFault(post(HttpRequest.BodyPublishers.ofString(
                "<?xml version=\"1.0\"?><!DOCTYPE e SYSTEM \"" + url + "\">" + envelope("1"))));
        assertFault(post(HttpRequest.BodyPublishers.ofString(
                "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY % remote SYSTEM \"" + url + "\"> %remote; %payload;]>"
                        + envelope("1"))));
        assertThat(dtdFetches).hasValue(0);
    }

    @Test
    void entityExpansionIsAFaultAtOnce() throws Exception {
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 10; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]>");
        long start = System.nanoTime();
        assertFault(post(HttpRequest.BodyPublishers.ofString(laughs + envelope("&lol10;"))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(post(HttpRequest.BodyPublishers.ofString(envelope("12345625004.2"))).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestOverTheSizeCapIsAFaultWhetherAnnouncedOrChunked() throws Exception {
        // 1 MB cap (record-broker.soap.max-request-size): an envelope padded with 2 MB of whitespace
        String padded = envelope("12345625004.3").replace("<soapenv:Body>", "<soapenv:Body>" + " ".repeat(2 * 1024 * 1024));

        HttpResponse<String> announced = post(HttpRequest.BodyPublishers.ofString(padded));
        assertThat(announced.statusCode()).isEqualTo(413);
        assertThat(announced.body()).contains("Fault").contains("REQUEST_TOO_LARGE");

        byte[] bytes = padded.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = post(HttpRequest.BodyPublishers.ofInputStream(
                () -> (InputStream) new ByteArrayInputStream(bytes)));
        assertFault(chunked);
        assertThat(chunked.body()).doesNotContain("GetPatientAuditTrailResponse").contains("REQUEST_TOO_LARGE");

        assertThat(post(HttpRequest.BodyPublishers.ofString(envelope("12345625004.4"))).statusCode()).isEqualTo(200);
    }

    /**
     * A header Spring Security's firewall refuses (0x85 reaches it as U+0085: Tomcat passes bytes 0x80-0xFF through) is
     * answered on the SOAP face's paths as a SOAP 1.1 Client fault INVALID_REQUEST with the trace id in its detail, as
     * the face's other faults are, never echoing the refused text; the same header on a REST path is still a 400
     * problem. Written byte for byte: java.net.http refuses control characters in headers.
     */
    @Test
    void aHeaderTheFirewallRefusesIsASoapClientFaultOnTheSoapFace() throws Exception {
        String refused = "X-Note: emergency\u0085" + marker + "\r\n";
        byte[] envelope = envelope("12345625004.5").getBytes(StandardCharsets.UTF_8);
        for (String path : new String[] {"/services/intrahub/v3", "/services/intrahub/v3?wsdl"}) {
            String answer = raw(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/xml; charset=utf-8\r\nSOAPAction: " + ACTION + "\r\n"
                    + "Authorization: Basic " + Base64.getEncoder().encodeToString(
                            "sandbox-client:sandbox-soap-secret".getBytes(StandardCharsets.UTF_8)) + "\r\n"
                    + refused + "Content-Length: " + envelope.length + "\r\nConnection: close\r\n\r\n"), envelope);

            assertThat(answer).as(path).startsWith("HTTP/1.1 500");
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertThat(head).as(path).contains("content-type: text/xml");
            assertThat(answer).as(path).contains("<soap:Fault><faultcode>soap:Client</faultcode>")
                    .contains("<faultstring>INVALID_REQUEST: ")
                    .containsPattern("<rb:traceId xmlns:rb=\"urn:record-broker\">[0-9a-f]{32}</rb:traceId>")
                    .doesNotContain(marker).doesNotContain("emergency").doesNotContain("problem+json")
                    .doesNotContain("GetPatientAuditTrailResponse");
        }

        String rest = raw("GET /api/v1/patients/78040814421/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n" + refused
                + "Connection: close\r\n\r\n", new byte[0]);
        assertThat(rest).startsWith("HTTP/1.1 400").containsIgnoringCase("application/problem+json")
                .contains("\"code\":\"INVALID_REQUEST\"").doesNotContain(marker).doesNotContain("soap:Fault");

        assertThat(post(HttpRequest.BodyPublishers.ofString(envelope("12345625004.6"))).statusCode()).isEqualTo(200);
    }

    /** One HTTP/1.1 exchange written byte for byte: the head as ISO-8859-1 (one byte a char), then the body. */
    private String raw(String head, byte[] body) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/services/intrahub/v3"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", ACTION)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "sandbox-client:sandbox-soap-secret".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertFault(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        assertThat(response.body()).contains("Fault").doesNotContain(marker).doesNotContain("GetPatientAuditTrailResponse");
    }
}
