package be.recordbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

import be.recordbroker.TestIo;
import be.recordbroker.ops.AuditVerifier;
import be.recordbroker.sandbox.SandboxTokens;

/**
 * Spring Security on the HTTP faces (issue 12): REST bearer tokens (audience, issuer, algorithm, expiry), the
 * management port (ops role; open liveness/readiness without details; admin endpoints there and not on the REST
 * port), problem+json answers with no-store, and the unauthenticated counter.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"record-broker.data-dir=target/it-data-security", "record-broker.health.cache=0s",
                "record-broker.search.timeout=2s",
                "record-broker.ops.users[0].name=ops",
                "record-broker.ops.users[0].password=$2a$10$lss9kLizpFsbJP9SyK8uquNopcQ.pjcok9xk5Pp1xoO.ZuqkhqSIG",
                "record-broker.ops.users[0].roles=ops",
                "record-broker.ops.users[1].name=viewer",
                "record-broker.ops.users[1].password=$2a$10$lss9kLizpFsbJP9SyK8uquNopcQ.pjcok9xk5Pp1xoO.ZuqkhqSIG",
                "record-broker.ops.users[1].roles=viewer"})
@AutoConfigureObservability
class HttpFacesSecurityTest {

    private static final String PATIENT = "78040814421";
    private static final String OPS = "ops:sandbox-ops-secret";

    private static final int MLLP_PORT = TestIo.freePort();
    private static final int LGE_MLLP_PORT = TestIo.freePort();

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) {
        registry.add("record-broker.mllp.port", () -> MLLP_PORT);
        registry.add("record-broker.sites.sandbox-lge.mllp-port", () -> LGE_MLLP_PORT);
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    SandboxTokens tokens;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    // ------------------------------------------------------------------ REST bearer tokens

    @Test
    void aValidTokenIsServedWithNoStore() throws Exception {
        HttpResponse<String> response = get(port, "/api/v1/patients/" + PATIENT + "/audit",
                "Bearer " + tokens.issue(patientClaims()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    }

    /**
     * camel-platform-http puts the request's headers and parameters in the exchange's headers and wrote them back on
     * the answer (web/RestAnswerHeaders.java): the token in lower case, the justification, the path's SSIN, and an
     * {@code Expires} that made Spring Security drop its no-store. Each REST route's answer, allowed or refused.
     */
    @Test
    void aRestAnswerCarriesNoneOfTheRequestsHeadersAndStaysNoStore() throws Exception {
        String token = tokens.issue(patientClaims());
        for (String path : new String[] {"/api/v1/patients/" + PATIENT + "/audit",
                "/api/v1/patients/" + PATIENT + "/documents?type=sumehr&scope=local",
                "/api/v1/patients/" + PATIENT + "/documents?page=-1", "/api/v1/openapi.json"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                    .header("authorization", "Bearer " + token)
                    .header("X-Break-The-Glass", "unconscious patient at the emergency room")
                    .header("Expires", "Thu, 01 Jan 2099 00:00:00 GMT")
                    .header("X-Probe", "echoed?").GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(path + " " + response.body()).isIn(200, 400, 403);
            var names = response.headers().map().keySet().stream()
                    .map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
            assertThat(names).as(path).doesNotContain("authorization", "x-break-the-glass", "x-probe", "ssin", "type",
                    "scope", "page", "user-agent");
            assertThat(response.headers().allValues("Expires")).as(path).doesNotContain("Thu, 01 Jan 2099 00:00:00 GMT");
            assertThat(response.headers().firstValue("Cache-Control").orElse("")).as(path).contains("no-store");
            assertThat(response.headers().firstValue("X-Request-Id")).as(path).isPresent();
        }
    }

    /**
     * camel-cxf wrote the request's HTTP headers back on the SOAP answer (soap/SoapAnswerHeaders.java): the caller's
     * Basic credentials, its justification. An answer (the sandbox's GP lists Jan's documents) and a refusal (an SSIN
     * that is not one: IntraHub's acknowledge with its error).
     */
    @Test
    void aSoapAnswerCarriesNoneOfTheRequestsHeaders() throws Exception {
        for (String ssin : new String[] {PATIENT, "12345678901"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/services/intrahub/v3"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", basic("sandbox-client:sandbox-soap-secret"))
                    .header("Content-Type", "text/xml").header("SOAPAction", "\"\"")
                    .header("X-Break-The-Glass", "unconscious patient at the emergency room")
                    .header("X-Probe", "echoed?")
                    .POST(HttpRequest.BodyPublishers.ofString(be.recordbroker.TestSoap.intraHubRequest(
                            "GetTransactionList", be.recordbroker.TestSoap.patientSelect(ssin)))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(ssin + " " + response.body()).isEqualTo(200);
            assertThat(response.body()).as(ssin).contains(ssin.equals(PATIENT) ? "<iscomplete>true" : "INVALID_SSIN");
            var names = response.headers().map().keySet().stream()
                    .map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
            // (User-Agent comes back: camel-cxf copies it by a rule of its own, outside the strategy; the caller's
            // software name, nothing it did not send)
            assertThat(names).as(ssin).doesNotContain("authorization", "x-break-the-glass", "x-probe", "soapaction",
                    "host");
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(ssin).startsWith("text/xml");
        }
    }

    @Test
    void anonymousIs401ProblemCountedWithoutAuditRow() throws Exception {
        double before = unauthenticated("rest");

        HttpResponse<String> response = get(port, "/api/v1/patients/" + PATIENT + "/documents", null);

        assertUnauthenticated(response);
        assertThat(unauthenticated("rest")).isEqualTo(before + 1);
    }

    /**
     * The firewall's header rule (HeaderText): Tomcat passes a header's bytes 0x80-0xFF through as ISO-8859-1, so a
     * 0x85 byte reaches the firewall as U+0085 (a control character) when the bearer filter reads the header, and
     * the request is refused (400) before any face; the same token without it is served.
     */
    @Test
    void aControlCharacterInTheAuthorizationHeaderIsRefusedByTheFirewall() throws Exception {
        String token = tokens.issue(patientClaims());

        assertThat(rawStatus("Bearer " + token)).isEqualTo(200);
        assertThat(rawStatus("Bearer " + token + "\u0085")).isEqualTo(400);
    }

    /**
     * A header only a face reads (not the security chain) is checked by the firewall when the face reads it, inside
     * the route: a control character there (0x85: Tomcat itself refuses C0 controls, not bytes 0x80-0xFF) is still a
     * 400 problem with a reason code, not a 500.
     */
    @Test
    void aControlCharacterInAFaceHeaderIsA400Problem() throws Exception {
        String authorization = "Bearer " + tokens.issue(patientClaims());

        String answer = raw("/api/v1/patients/" + PATIENT + "/documents", authorization,
                "X-Break-The-Glass: emergency\u0085care\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("application/problem+json").contains("\"code\":\"INVALID_REQUEST\"")
                .contains("traceId");
    }

    private int rawStatus(String authorization) throws Exception {
        return Integer.parseInt(raw("/api/v1/patients/" + PATIENT + "/audit", authorization, "").split(" ")[1]);
    }

    /** One HTTP/1.1 exchange written byte for byte (java.net.http refuses control characters in headers). */
    private String raw(String path, String authorization, String extraHeaders) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + authorization + "\r\n" + extraHeaders + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aTokenThatIsNotAJwtIs401() throws Exception {
        assertUnauthenticated(get(port, "/api/v1/patients/" + PATIENT + "/documents", "Bearer not.a.token"));
    }

    @Test
    void aForeignAudienceIs401() throws Exception {
        assertUnauthenticated(bearer(signed(claims().audience("another-service"))));
    }

    @Test
    void noAudienceIs401() throws Exception {
        assertUnauthenticated(bearer(signed(claims().audience((String) null))));
    }

    @Test
    void aForeignIssuerIs401() throws Exception {
        assertUnauthenticated(bearer(signed(claims().issuer("https://idp.example.org"))));
    }

    @Test
    void noIssuerIs401() throws Exception {
        assertUnauthenticated(bearer(signed(claims().issuer(null))));
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        assertUnauthenticated(bearer(signed(claims().expirationTime(Date.from(Instant.now().minusSeconds(600))))));
    }

    @Test
    void aTokenWithoutExpiryIs401() throws Exception {
        assertUnauthenticated(bearer(signed(claims().expirationTime(null))));
    }

    @Test
    void anHs256TokenIs401EvenWithTheRightClaims() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner(new byte[32]));
        assertUnauthenticated(bearer(jwt.serialize()));
    }

    @Test
    void theSandboxsOwnTokensNameTheAudience() throws Exception {
        SignedJWT jwt = SignedJWT.parse(tokens.issue(patientClaims()));
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("record-broker");
    }

    // ------------------------------------------------------------------ management port

    @Test
    void actuatorAndAdminNeedOpsOnTheManagementPort() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/actuator/metrics",
                "/actuator/info", "/api/v1/admin/dead-letters", "/api/v1/admin/audit/verify"}) {
            HttpResponse<String> anonymous = get(managementPort, path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            assertThat(json.readTree(anonymous.body()).path("code").asText()).isEqualTo("UNAUTHENTICATED");

            assertThat(get(managementPort, path, basic("ops:wrong")).statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> viewer = get(managementPort, path, basic("viewer:sandbox-ops-secret"));
            assertThat(viewer.statusCode()).as(path).isEqualTo(403);
            assertThat(json.readTree(viewer.body()).path("code").asText()).isEqualTo("FORBIDDEN");
        }
        assertThat(get(managementPort, "/api/v1/admin/dead-letters", basic(OPS)).statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/prometheus", basic(OPS)).body()).contains("rb_unauthenticated_total");
        HttpResponse<String> verify = get(managementPort, "/api/v1/admin/audit/verify", basic(OPS));
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        assertThat(json.readTree(verify.body()).path("intact").asBoolean()).isTrue();
    }

    @Test
    void healthForOpsShowsNoHubUrl() throws Exception {
        HttpResponse<String> health = get(managementPort, "/actuator/health", basic(OPS));

        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("components").doesNotContain("\"url\"").doesNotContain("/sandbox/hubs")
                .doesNotContain("http://");
    }

    @Test
    void livenessAndReadinessAreOpenWithoutDetails() throws Exception {
        HttpResponse<String> liveness = get(managementPort, "/actuator/health/liveness", null);
        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        assertOnlyAStatus(liveness, "UP");

        // readiness waits for the warm-up (ops/WarmUp); until then a load balancer must see 503, not a 200 it would trust
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        HttpResponse<String> readiness = get(managementPort, "/actuator/health/readiness", null);
        while (readiness.statusCode() != 200 && System.nanoTime() < deadline) {
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
            assertOnlyAStatus(readiness, "OUT_OF_SERVICE");
            // alive while warming up: a liveness probe must not restart a broker that is not ready yet
            assertThat(get(managementPort, "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
            Thread.sleep(200);
            readiness = get(managementPort, "/actuator/health/readiness", null);
        }
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertOnlyAStatus(readiness, "UP");
    }

    private void assertOnlyAStatus(HttpResponse<String> response, String status) throws Exception {
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo(status);
        assertThat(body.has("components")).isFalse();
        assertThat(body.has("details")).isFalse();
    }

    /** The SOAP chain's one open door: the published contract (GET ?wsdl / ?xsd=), never an operation. */
    @Test
    void onlyTheSoapContractIsServedToAnonymousCallers() throws Exception {
        HttpResponse<String> wsdl = get(port, "/services/intrahub/v3?wsdl", null);
        assertThat(wsdl.statusCode()).as(wsdl.body()).isEqualTo(200);
        assertThat(wsdl.body()).contains("definitions");

        // an operation posted to the contract's URL is still an operation: refused without a registered caller
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/services/intrahub/v3?wsdl"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/"
                        + "envelope/\"><soap:Body/></soap:Envelope>")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(401);
        assertThat(get(port, "/services/intrahub/v3", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/services/intrahub/v3?wsdlx", null).statusCode()).isEqualTo(401);
    }

    /**
     * The last chain lets through what no face claims (on this port: the sandbox's own pages, Spring's error page);
     * nothing of the broker's is there, so an anonymous caller finds nothing to read.
     */
    @Test
    void whatNoFaceClaimsServesNothingOfTheBroker() throws Exception {
        for (String path : new String[] {"/", "/actuator", "/actuator/env", "/h2-console", "/api", "/services"}) {
            HttpResponse<String> response = get(port, path, null);
            assertThat(response.statusCode()).as(path + " " + response.body()).isIn(401, 404);
            assertThat(response.body()).as(path).doesNotContain("jdbc:").doesNotContain("78040814421");
        }
    }

    @Test
    void forgettingAPatientsFactsNeedsOpsOnTheManagementPort() throws Exception {
        String path = "/api/v1/admin/patients/" + PATIENT + "/forget-facts";
        HttpResponse<String> anonymous = post(managementPort, path, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json.readTree(anonymous.body()).path("code").asText()).isEqualTo("UNAUTHENTICATED");
        HttpResponse<String> viewer = post(managementPort, path, basic("viewer:sandbox-ops-secret"));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(post(port, path, "Bearer " + tokens.issue(patientClaims())).statusCode()).isEqualTo(404);
        HttpResponse<String> invalid = post(managementPort, "/api/v1/admin/patients/12345678901/forget-facts",
                basic(OPS));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json.readTree(invalid.body()).path("code").asText()).isEqualTo("INVALID_SSIN");
        HttpResponse<String> ops = post(managementPort, path, basic(OPS));
        assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
        assertThat(json.readTree(ops.body()).path("announced").asBoolean()).isTrue();
    }

    @Test
    void adminAndActuatorAreNotServedOnTheRestPort() throws Exception {
        String token = "Bearer " + tokens.issue(patientClaims());
        for (String path : new String[] {"/api/v1/admin/dead-letters", "/api/v1/admin/audit/verify"}) {
            assertThat(get(port, path, token).statusCode()).as(path).isEqualTo(404);
            assertThat(get(port, path, basic(OPS)).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get(port, "/actuator/health", basic(OPS)).statusCode()).isEqualTo(404);
    }

    @Test
    void aSecondAuditVerificationWhileOneRunsIsBusy() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditVerifier verifier = new AuditVerifier(() -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("no database in this test");
        }, null);
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                verifier.verifyUnlessBusy();
            } catch (Throwable t) {
                first.set(t);
            }
        });
        running.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(verifier.verifyUnlessBusy()).as("busy").isNull();

        release.countDown();
        running.join(5000);
        assertThat(first.get()).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ helpers

    private void assertUnauthenticated(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(problem.path("traceId").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("eyJ");
    }

    private double unauthenticated(String face) {
        var counter = meters.find("rb.unauthenticated").tag("face", face).counter();
        return counter == null ? 0 : counter.count();
    }

    private Map<String, String> patientClaims() {
        return Map.of("ssin", PATIENT, "profession", "patient", "name", "Jan Peeters");
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(tokens.issuer()).audience("record-broker").subject(PATIENT)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString())
                .claim("ssin", PATIENT).claim("profession", "patient").claim("name", "Jan Peeters");
    }

    /** Signed with the sandbox's own key: only the claims make these tokens wrong. */
    private String signed(JWTClaimsSet.Builder claims) throws Exception {
        // the sandbox makes its key on a thread of its own at start (SandboxTokens)
        @SuppressWarnings("unchecked")
        RSAKey key = ((java.util.concurrent.CompletableFuture<RSAKey>) ReflectionTestUtils.getField(tokens, "key")).join();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private HttpResponse<String> bearer(String token) throws Exception {
        return get(port, "/api/v1/patients/" + PATIENT + "/audit", "Bearer " + token);
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(int onPort, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onPort + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int onPort, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onPort + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
