package be.recordbroker.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import be.recordbroker.TestMllp;
import be.recordbroker.SandboxIntegrationTest;

/**
 * A patient's cached facts forgotten on every instance at once (issue 14). The test stands where another instance
 * stands: on the Artemis topic the instances share. A consent revoked at the hub is still honoured from the cache
 * (TTL 30 s) until an instance announces the patient — then it is refused here at once; and the ops call on this
 * instance forgets here and announces to the others, as does an A40 merge applied here (both patients).
 */
class PatientCachesAcrossInstancesTest extends SandboxIntegrationTest {

    private static final String GP = "12345625004";

    @Autowired
    ConnectionFactory connectionFactory;

    @Value("${record-broker.cluster.facts-topic}")
    String topic;

    @Test
    void aRevocationAnnouncedByAnotherInstanceIsRefusedHereAtOnce() throws Exception {
        String patient = revokedButStillCached();
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic(topic));
            TextMessage announcement = session.createTextMessage(patient);
            announcement.setStringProperty("rbOrigin", "another-instance");
            producer.send(announcement);
        }
        assertThat(statusWithin(patient, 403, Duration.ofSeconds(5))).isEqualTo(403);
    }

    @Test
    void anAnnouncementThatNamesNoValidSsinChangesNothing() throws Exception {
        String patient = revokedButStillCached();
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage announcement = session.createTextMessage(patient.substring(0, 10) + "x");
            announcement.setStringProperty("rbOrigin", "another-instance");
            session.createProducer(session.createTopic(topic)).send(announcement);
        }
        Thread.sleep(500);
        assertThat(search(patient).statusCode()).as("still the cached consent").isEqualTo(200);
    }

    @Test
    void theOpsCallForgetsHereAndAnnouncesThePatientToTheOtherInstances() throws Exception {
        String patient = revokedButStillCached();
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic facts = session.createTopic(topic);
            MessageConsumer otherInstance = session.createConsumer(facts);
            connection.start();

            HttpResponse<String> forget = opsPost("/api/v1/admin/patients/" + patient + "/forget-facts");
            assertThat(forget.statusCode()).as(forget.body()).isEqualTo(200);
            // forgotten here before the answer: the very next request asks the hub again
            HttpResponse<String> refused = search(patient);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(json.readTree(refused.body()).path("reason").asText()).isEqualTo("NO_CONSENT");

            Message heard = otherInstance.receive(5_000);
            assertThat(heard).as("the announcement on the topic").isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) heard).getText()).isEqualTo(patient);
            assertThat(heard.getStringProperty("rbOrigin")).isNotBlank().isNotEqualTo("another-instance");
        }
    }

    @Test
    void anA40MergeAppliedHereForgetsBothPatientsHereAndAnnouncesThemToTheOtherInstances() throws Exception {
        String merged = revokedButStillCached();
        String survivor = be.recordbroker.ingest.Hl7TestMessages.newSsin();
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer otherInstance = session.createConsumer(session.createTopic(topic));
            connection.start();

            String control = be.recordbroker.ingest.Hl7TestMessages.controlId("A40F");
            String ack = mllp(be.recordbroker.ingest.Hl7TestMessages.a40("SANDBOX-BRU", control, survivor, merged));
            assertThat(ack).contains("MSA|AA|" + control);

            java.util.Set<String> heard = new java.util.HashSet<>();
            for (Message m; heard.size() < 2 && (m = otherInstance.receive(20_000)) != null; ) {
                heard.add(((TextMessage) m).getText());
            }
            assertThat(heard).as("both patients announced once the merge was applied").containsExactlyInAnyOrder(
                    merged, survivor);
            // and forgotten here before the announcement: the revoked consent is asked of the hub again
            HttpResponse<String> refused = search(merged);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        }
    }

    private static String mllp(String er7) throws Exception {
        return TestMllp.send(MLLP_PORT, er7);
    }

    /** A patient whose consent was revoked at the hub after the broker cached it: still searchable from the cache. */
    private String revokedButStillCached() throws Exception {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        HttpResponse<String> first = search(patient);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        revokeConsent(patient);
        HttpResponse<String> cached = search(patient);
        assertThat(cached.statusCode()).as("the revocation is not known here yet: " + cached.body()).isEqualTo(200);
        return patient;
    }

    private int statusWithin(String patient, int expected, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        int status;
        do {
            status = search(patient).statusCode();
            if (status == expected) {
                return status;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        return status;
    }

    private HttpResponse<String> search(String patient) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/patients/" + patient + "/documents"))
                .header("Authorization", "Bearer " + token(GP, "persphysician", "An Verstraeten"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> opsPost(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ops:sandbox-ops-secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
