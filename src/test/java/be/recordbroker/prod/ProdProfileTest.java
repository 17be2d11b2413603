package be.recordbroker.prod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;

import be.recordbroker.RecordBrokerApplication;
import be.recordbroker.sandbox.SandboxNetwork;
import be.recordbroker.sandbox.SandboxWorld;

/**
 * The prod profile for real: a standalone Artemis (Maven Central distribution, its own process) and PostgreSQL on
 * 127.0.0.1:5432, with the sandbox hubs added so declarations have somewhere to land. Same flow as the embedded
 * default: AA only once durably queued, duplicates recognised through the PostgreSQL ledger.
 */
class ProdProfileTest {

    private static StandaloneArtemis artemis;
    private static ConfigurableApplicationContext broker;
    private static String databaseUrl;
    private static int mllpPort;

    @BeforeAll
    static void start() throws Exception {
        databaseUrl = LocalPostgres.freshDatabase("record_broker_it");
        artemis = StandaloneArtemis.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            mllpPort = socket.getLocalPort();
        }
        broker = new SpringApplicationBuilder(RecordBrokerApplication.class)
                .profiles("prod", "sandbox")
                // as command-line arguments: they outrank application-prod.yaml, as an operator's would
                .run("--server.port=0",
                        "--record-broker.mllp.port=" + mllpPort,
                        "--record-broker.data-dir=target/prod-it-data",
                        "--spring.artemis.broker-url=" + artemis.url(),
                        "--spring.artemis.user=" + StandaloneArtemis.USER,
                        "--spring.artemis.password=" + StandaloneArtemis.PASSWORD,
                        "--spring.datasource.url=" + databaseUrl,
                        "--spring.datasource.username=" + LocalPostgres.USER,
                        "--spring.datasource.password=",
                        "--record-broker.ingest.redelivery.initial-delay=200ms",
                        "--record-broker.document-id.key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (artemis != null) {
            artemis.close();
        }
    }

    private static String send(String er7) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", mllpPort)) {
            socket.setSoTimeout(20_000);
            new MinLLPWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1).writeMessage(er7);
            return new MinLLPReader(socket.getInputStream(), StandardCharsets.ISO_8859_1).getMessage();
        }
    }

    private static String t02(String controlId, String documentNumber) {
        String content = Base64.getEncoder().encodeToString("%PDF-1.4 prod profile test".getBytes(StandardCharsets.US_ASCII));
        return "MSH|^~\\&|TEST-HIS|SANDBOX-BRU|RECORD-BROKER|RECORD-BROKER|20261122101500||MDM^T02^MDM_T02|" + controlId
                + "|P|2.5||||||8859/1\r"
                + "EVN|T02|20261122101500\r"
                + "PID|1||85073003328^^^BE-NN^NN||Prod^Test||19850730|M\r"
                + "PV1|1|O\r"
                + "TXA|1|contactreport|AP|20261122101500|12345625004^Verstraeten^An|20261122101500||||||"
                + documentNumber + "||||AU||AV\r"
                + "OBX|1|ED|contactreport^Report^L||SANDBOX^AP^PDF^Base64^" + content + "||||||F\r";
    }

    private static int count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl, LocalPostgres.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anMdmIsQueuedOnTheStandaloneBrokerRecordedInPostgresAndDeclaredOnceEvenWhenSentTwice() throws Exception {
        String control = "PROD-" + System.nanoTime();
        String documentNumber = "BRU-PROD-" + control;

        assertThat(send(t02(control, documentNumber))).contains("MSA|AA|" + control);
        assertThat(send(t02(control, documentNumber))).contains("MSA|AA|" + control);

        SandboxWorld world = broker.getBean(SandboxNetwork.class).world();
        await().atMost(Duration.ofSeconds(30)).until(() -> world.document("rsb", documentNumber).isPresent());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT COUNT(*) FROM hl7_applied WHERE control_id = '" + control + "'") == 1);
        assertThat(count("SELECT COUNT(*) FROM hl7_accepted WHERE control_id = '" + control + "'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM hl7_document WHERE document_number = '" + documentNumber
                + "' AND status = 'DECLARED'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM flyway_schema_history WHERE success")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theBrokerReallyUsesTheStandaloneArtemisNotAnEmbeddedOne() throws Exception {
        assertThat(broker.getEnvironment().getProperty("spring.artemis.mode")).isEqualTo("native");
        assertThat(broker.getBeansOfType(org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ.class))
                .isEmpty();
        // the journal of the standalone instance grows with our messages
        assertThat(java.nio.file.Files.exists(artemis.instance().resolve("data/journal"))).isTrue();
    }

    @Test
    void theGateAuditsIntoPostgresAndTheChainVerifies() throws Exception {
        String patient = "12020175988"; // seed patient with an active consent
        String base = "http://127.0.0.1:" + broker.getEnvironment().getProperty("local.server.port");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/sandbox/token"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"ssin\":\"" + patient + "\",\"profession\":\"patient\",\"name\":\"Lucas\"}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("token").asText();
        int before = count("SELECT COUNT(*) FROM audit_event WHERE patient_ssin = '" + patient + "'");

        var anonymous = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/api/v1/patients/" + patient + "/audit")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        var own = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/api/v1/patients/" + patient + "/audit"))
                .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("PATIENT_HIMSELF").contains("UNAUTHENTICATED");

        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE patient_ssin = '" + patient + "'")).isEqualTo(before + 2);
        var verify = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/api/v1/admin/audit/verify")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        assertThat(verify.body()).contains("\"intact\":true");
    }
}
