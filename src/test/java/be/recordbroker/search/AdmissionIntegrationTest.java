package be.recordbroker.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.xml.ws.BindingProvider;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.admission.Admission;
import be.recordbroker.admission.Admissions;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.network.HttpEndpoint;

/**
 * Admission control on each face (issue 13): with every place of a lane taken (held here through the lane itself),
 * a REST search waits the queue timeout and gets 503 + Retry-After as problem+json OVERLOADED with its trace id, a
 * SOAP GetTransactionList a fault "OVERLOADED", a REST retrieval 503 from the filter — but an anonymous one still 401
 * (no place for a request without credentials). The REST filters stand in front of Spring Security (a refusal costs no
 * token check): a bad token gets 503 while the lane is full and 401 once it is not — never anything else; an admitted
 * REST search holds one place, not two. The audit views (REST, SOAP GetPatientAuditTrail) take a place of the search
 * lane too. Each refusal is counted; once the places are free the same search is answered.
 */
class AdmissionIntegrationTest extends SandboxIntegrationTest {

    private static final String GP = FederatedSearchIntegrationTest.GP;
    private static final String OLIVIA = FederatedSearchIntegrationTest.OLIVIA;

    @Autowired
    Admissions admissions;

    @Test
    void aFullSearchLaneAnswers503WithRetryAfterOnRestAndAnOverloadedFaultOnSoap() throws Exception {
        String token = token(GP, "persphysician", "An Verstraeten");
        double refusedBefore = refused("search", "rest") + refused("search", "soap");
        List<Admission.Permit> held = fill(admissions.search());
        try {
            long sent = System.nanoTime();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/v1/patients/" + OLIVIA + "/documents"))
                    .header("Authorization", "Bearer " + token).header("X-Request-Id", "admission-test-1")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            long waitedMs = (System.nanoTime() - sent) / 1_000_000;
            assertOverloadedProblem(refused, "admission-test-1");
            // it waited in the queue for a place first (queue timeout 1 s)
            assertThat(waitedMs).isGreaterThanOrEqualTo(900);

            // refused in front of Spring Security: no credentials is 401 as ever, a bad token is refused unread
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/v1/patients/" + OLIVIA + "/documents"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
            HttpResponse<String> forged = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/v1/patients/" + OLIVIA + "/documents"))
                    .header("Authorization", "Bearer not-a-token").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).as(forged.body()).isEqualTo(503);
            assertThat(json.readTree(forged.body()).path("reason").asText()).isEqualTo("OVERLOADED");

            assertThatThrownBy(() -> brokerSoap().getTransactionList(
                    FederatedSearchIntegrationTest.listRequest(OLIVIA, GP, 10)))
                    .isInstanceOf(jakarta.xml.ws.WebServiceException.class).hasMessageContaining("OVERLOADED: ")
                    .hasMessageContaining("retry after 1 s");
        } finally {
            held.forEach(Admission.Permit::close);
        }
        assertThat(refused("search", "rest") + refused("search", "soap")).isEqualTo(refusedBefore + 3);
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(
                        URI.create(base() + "/api/v1/patients/" + OLIVIA + "/documents"))
                .header("Authorization", "Bearer not-a-token").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as("a place free: the token is read " + forged.body()).isEqualTo(401);

        // every place but one taken: the search takes that one (in front of Spring Security), not a second in its route
        List<Admission.Permit> allButOne = fill(admissions.search());
        allButOne.remove(allButOne.size() - 1).close();
        try {
            HttpResponse<String> one = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/v1/patients/" + OLIVIA + "/documents"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        } finally {
            allButOne.forEach(Admission.Permit::close);
        }

        HttpResponse<String> served = http.send(HttpRequest.newBuilder(
                        URI.create(base() + "/api/v1/patients/" + OLIVIA + "/documents"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        // the route gives its place back when its exchange completes, a moment after the answer has been written
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (admissions.search().inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(admissions.search().inFlight()).as("places held once the search has answered").isZero();
    }

    /**
     * The audit views read the database like a search does: with the search lane full, the patient's own REST audit
     * view waits the queue timeout and gets 503 OVERLOADED (an anonymous caller still 401), and SOAP
     * GetPatientAuditTrail an OVERLOADED fault; with a place free both are answered.
     */
    @Test
    void aFullSearchLaneAnswersTheAuditViewsWith503OnRestAndAnOverloadedFaultOnSoap() throws Exception {
        String self = token(null, "patient", "Olivia Janssens", OLIVIA);
        String auditView = base() + "/api/v1/patients/" + OLIVIA + "/audit";
        double refusedBefore = refused("search", "rest") + refused("search", "soap");
        List<Admission.Permit> held = fill(admissions.search());
        try {
            long sent = System.nanoTime();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(auditView))
                    .header("Authorization", "Bearer " + self).header("X-Request-Id", "admission-audit-1")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            long waitedMs = (System.nanoTime() - sent) / 1_000_000;
            assertOverloadedProblem(refused, "admission-audit-1");
            assertThat(waitedMs).as("it waited in the queue for a place first").isGreaterThanOrEqualTo(900);

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(auditView))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);

            HttpResponse<String> soap = soapAuditTrail("12345625004.9102");
            assertThat(soap.statusCode()).as(soap.body()).isEqualTo(500);
            assertThat(soap.body()).containsPattern("<faultcode>(\\w+:)?Server</faultcode>").contains("OVERLOADED: ")
                    .contains("retry after 1 s").doesNotContain("GetPatientAuditTrailResponse");
        } finally {
            held.forEach(Admission.Permit::close);
        }
        assertThat(refused("search", "rest") + refused("search", "soap")).isEqualTo(refusedBefore + 2);

        HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(auditView))
                .header("Authorization", "Bearer " + self).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(json.readTree(served.body()).path("patient").asText()).isEqualTo(OLIVIA);
        HttpResponse<String> soap = soapAuditTrail("12345625004.9103");
        assertThat(soap.statusCode()).as(soap.body()).isEqualTo(200);
        assertThat(soap.body()).contains("GetPatientAuditTrailResponse");
        assertThat(admissions.search().inFlight()).as("places held once the audit views have answered").isZero();
    }

    private HttpResponse<String> soapAuditTrail(String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/services/intrahub/v3"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetPatientAuditTrail\"")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "sandbox-client:sandbox-soap-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(be.recordbroker.TestSoap.intraHubRequest(
                        "GetPatientAuditTrail", requestId, "persphysician", be.recordbroker.TestSoap.patientSelect(OLIVIA))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusalForAFullQueueIsHeldForTheQueueTimeoutThenAnswered503WithItsIds() throws Exception {
        String token = token(GP, "persphysician", "An Verstraeten");
        Admission lane = admissions.search();
        List<Admission.Permit> held = fill(lane);
        List<Thread> queued = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) { // the queue (max-queued 32): each waits the queue timeout in vain
                Thread waiter = new Thread(() -> {
                    try {
                        lane.enter("test").close();
                    } catch (Admission.Overloaded expected) {
                        // the queue timeout
                    }
                });
                waiter.start();
                queued.add(waiter);
            }
            Thread.sleep(200);
            long sent = System.nanoTime();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/v1/patients/" + OLIVIA + "/documents"))
                    .header("Authorization", "Bearer " + token).header("X-Request-Id", "admission-test-3")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            long waitedMs = (System.nanoTime() - sent) / 1_000_000;
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            JsonNode problem = json.readTree(refused.body());
            assertThat(problem.path("reason").asText()).isEqualTo("OVERLOADED");
            assertThat(problem.path("detail").asText()).contains("queue-full");
            assertThat(problem.path("requestId").asText()).isEqualTo("admission-test-3");
            assertThat(problem.path("traceId").asText()).as("the W3C trace id").matches("[0-9a-f]{32}");
            // refused at once, answered when a queued request would have given up
            assertThat(waitedMs).isBetween(900L, 5_000L);
        } finally {
            for (Thread waiter : queued) {
                waiter.join(5_000);
            }
            held.forEach(Admission.Permit::close);
        }
    }

    @Test
    void aFullRetrievalLaneAnswers503ToACallerButStill401ToNoOne() throws Exception {
        String token = token(GP, "persphysician", "An Verstraeten");
        double refusedBefore = refused("retrieve", "rest");
        List<Admission.Permit> held = fill(admissions.retrieve());
        try {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/v1/documents/anything"))
                    .header("Authorization", "Bearer " + token).header("X-Request-Id", "admission-test-2")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            JsonNode problem = json.readTree(refused.body());
            assertThat(problem.path("reason").asText()).isEqualTo("OVERLOADED");
            assertThat(problem.path("requestId").asText()).isEqualTo("admission-test-2");
            assertThat(problem.path("traceId").asText()).as("the W3C trace id").matches("[0-9a-f]{32}");

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
                            URI.create(base() + "/api/v1/documents/anything")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        } finally {
            held.forEach(Admission.Permit::close);
        }
        assertThat(refused("retrieve", "rest")).isEqualTo(refusedBefore + 1);
        HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/documents/anything"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).as("admitted again: the id's own refusal " + served.body()).isIn(400, 404);
    }

    /**
     * An OVERLOADED fault is the SOAP face's answer, not a broker failure: nothing is logged at ERROR for it (Camel's
     * error handler logged each refusal with its stack trace, so a flood of refusals was a flood of ERROR lines).
     */
    @Test
    void soapRefusalsOfAFullLaneAreNotLoggedAsErrors() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        root.addAppender(events);
        List<Admission.Permit> held = fill(admissions.search());
        try {
            assertThatThrownBy(() -> brokerSoap().getTransactionList(
                    FederatedSearchIntegrationTest.listRequest(OLIVIA, GP, 10)))
                    .isInstanceOf(jakarta.xml.ws.WebServiceException.class).hasMessageContaining("OVERLOADED: ");
            HttpResponse<String> trail = soapAuditTrail("12345625004.9104");
            assertThat(trail.body()).as("the refusal was answered").contains("OVERLOADED: ");
        } finally {
            held.forEach(Admission.Permit::close);
            root.detachAppender(events);
        }
        assertThat(events.list).as("ERROR lines about the refusals").filteredOn(e -> e.getLevel()
                        .isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
                .filteredOn(e -> (e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : e.getThrowableProxy().getMessage())).contains("OVERLOADED"))
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).isEmpty();
    }

    /** 503 + Retry-After, a problem+json OVERLOADED naming the request and its W3C trace. */
    private void assertOverloadedProblem(HttpResponse<String> refused, String requestId) throws Exception {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(refused.body());
        assertThat(problem.path("reason").asText()).isEqualTo("OVERLOADED");
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("requestId").asText()).isEqualTo(requestId);
        assertThat(problem.path("traceId").asText()).as("the W3C trace id").matches("[0-9a-f]{32}");
    }

    /** Takes every in-flight place of the lane (none is queued: the next caller waits the queue timeout). */
    private static List<Admission.Permit> fill(Admission lane) {
        List<Admission.Permit> held = new ArrayList<>();
        try {
            while (true) {
                held.add(lane.enter("test"));
                if (lane.inFlight() == 0) {
                    throw new AssertionError("inFlight does not count");
                }
                if (held.size() > 10_000) {
                    throw new AssertionError("the lane has no bound");
                }
            }
        } catch (Admission.Overloaded full) {
            return held;
        }
    }

    private double refused(String lane, String face) throws Exception {
        String metrics = opsGet("/actuator/prometheus").body();
        return OverloadAdmissionIT.metric(metrics, "rb_admission_refused_total",
                "face=\"" + face + "\",lane=\"" + lane + "\"");
    }

    private IntraHubPortType brokerSoap() {
        IntraHubPortType port = HubClients.create(IntraHubPortType.class, URI.create(base() + "/services/intrahub/v3"),
                new HttpEndpoint(base() + "/services/intrahub/v3", Duration.ofSeconds(5), Duration.ofSeconds(20)),
                org.apache.cxf.annotations.SchemaValidation.SchemaValidationType.BOTH);
        Map<String, Object> context = ((BindingProvider) port).getRequestContext();
        context.put(BindingProvider.USERNAME_PROPERTY, "sandbox-client");
        context.put(BindingProvider.PASSWORD_PROPERTY, "sandbox-soap-secret");
        return port;
    }
}
