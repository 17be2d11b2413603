package be.recordbroker.prod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;


import be.recordbroker.TestMllp;
import be.recordbroker.RecordBrokerApplication;
import be.recordbroker.sandbox.SandboxNetwork;
import be.recordbroker.sandbox.SandboxWorld;

/**
 * The prod profile for real: a standalone Artemis (Maven Central distribution, its own process) and PostgreSQL on
 * 127.0.0.1:5432, with every production setting given (ProdSettings): the broker runs as its own runtime role, the
 * migrations as the owner. The sandbox never runs with prod (SandboxGuard), so the hubs declarations land on are a
 * second application context in the sandbox profile, reached through a network file of absolute URLs, as real hubs
 * are; its key set verifies the bearer tokens. Same flow as the embedded default: AA only once durably queued,
 * duplicates recognised through the PostgreSQL ledger.
 */
class ProdProfileIT {

    /** The broker's runtime role: not the owner of the tables (DATABASE_USER; ProdSettings refuses postgres). */
    private static final String RUNTIME_ROLE = "trust_sandbox_rt";

    private static StandaloneArtemis artemis;
    private static ConfigurableApplicationContext hubs;
    private static ConfigurableApplicationContext broker;
    private static String databaseUrl;
    private static int mllpPort;

    @BeforeAll
    static void start() throws Exception {
        databaseUrl = LocalPostgres.freshDatabase("trust_sandbox_it");
        LocalPostgres.grantRuntimeRole("trust_sandbox_it", RUNTIME_ROLE);
        artemis = StandaloneArtemis.start();
        mllpPort = be.recordbroker.TestIo.freePort();
        be.recordbroker.TestIo.deleteTree(java.nio.file.Path.of("target/prod-it-sandbox-data"));
        hubs = new SpringApplicationBuilder(RecordBrokerApplication.class)
                .profiles("sandbox")
                .run("--server.port=0",
                        "--record-broker.mllp.port=" + be.recordbroker.TestIo.freePort(),
                        "--record-broker.sites.sandbox-lge.mllp-port=" + be.recordbroker.TestIo.freePort(),
                        "--record-broker.data-dir=target/prod-it-sandbox-data",
                        "--spring.main.banner-mode=off");
        String hubsBase = "http://127.0.0.1:" + hubs.getEnvironment().getProperty("local.server.port");
        java.nio.file.Path networkFile = java.nio.file.Path.of("target/prod-it/network.yaml").toAbsolutePath();
        java.nio.file.Files.createDirectories(networkFile.getParent());
        java.nio.file.Files.writeString(networkFile, java.nio.file.Files.readString(
                java.nio.file.Path.of("config/network.yaml")).replace("url: /", "url: " + hubsBase + "/"));
        broker = new SpringApplicationBuilder(RecordBrokerApplication.class)
                .profiles("prod")
                // as command-line arguments: they outrank application-prod.yaml, as an operator's would
                .run(brokerArgs(networkFile, mllpPort, "target/prod-it-data", "0", "0"));
    }

    /** The prod broker's settings (as an operator gives them: command-line arguments outrank application-prod.yaml). */
    private static String[] brokerArgs(java.nio.file.Path networkFile, int mllp, String dataDir, String port,
                                       String managementPort) {
        String hubsBase = "http://127.0.0.1:" + hubs.getEnvironment().getProperty("local.server.port");
        List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--record-broker.mllp.port=" + mllp,
                "--record-broker.data-dir=" + dataDir,
                "--record-broker.network-file=" + networkFile));
        args.addAll(ProdBrokerArgs.of(artemis.url(), StandaloneArtemis.USER, StandaloneArtemis.PASSWORD, databaseUrl,
                RUNTIME_ROLE, hubsBase));
        args.addAll(List.of("--record-broker.audit.key=" + randomKey(),
                "--record-broker.audit.key-id=prod-it",
                "--record-broker.document-id.key=" + randomKey(),
                "--record-broker.ingest.redelivery.initial-delay=200ms"));
        return args.toArray(String[]::new);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (hubs != null) {
            hubs.close();
        }
        if (artemis != null) {
            artemis.close();
        }
    }

    private static String send(String er7) throws Exception {
        return TestMllp.send(mllpPort, er7);
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

        SandboxWorld world = hubs.getBean(SandboxNetwork.class).world();
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
        String hubsBase = "http://127.0.0.1:" + hubs.getEnvironment().getProperty("local.server.port");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(hubsBase + "/sandbox/token"))
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
        // the anonymous call was refused before the gate (counted, not audited)
        assertThat(own.body()).contains("PATIENT_HIMSELF").doesNotContain("UNAUTHENTICATED");

        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE patient_ssin = '" + patient + "'")).isEqualTo(before + 1);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE key_id IS NULL")).isZero(); // keyed chain
        String management = "http://127.0.0.1:" + broker.getEnvironment().getProperty("local.management.port");
        var verify = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(management + "/api/v1/admin/audit/verify"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "ops:sandbox-ops-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        assertThat(verify.body()).contains("\"intact\":true");
        // the management port in prod: anonymous callers and a wrong password are refused on every endpoint
        for (String path : new String[] {"/api/v1/admin/audit/verify", "/api/v1/admin/dead-letters", "/actuator/prometheus",
                "/actuator/metrics", "/actuator/health", "/actuator/camel"}) {
            var refused = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(management + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            var wrong = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(management + path))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            "ops:wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
        }
    }

    /**
     * Issue 16: in prod every log line is one JSON object (ECS) with the trace id of the work it belongs to, and no
     * SSIN even when the request named one. Its own JVM (BrokerJvm): logging is set up once per JVM, and this one's is
     * the sandbox hubs'. An anonymous SOAP call is refused (401 fault with its trace id) and logged.
     */
    @Test
    void aProdLogLineIsJsonWithTheTraceIdAndNoSsin() throws Exception {
        String ssin = "85073003328";
        int port = be.recordbroker.TestIo.freePort();
        java.nio.file.Path log = java.nio.file.Path.of("target/prod-it-jvm.log").toAbsolutePath();
        java.util.List<String> command = new java.util.ArrayList<>(be.recordbroker.BrokerJvm.commandWithoutSandbox());
        command.addAll(java.util.List.of(brokerArgs(java.nio.file.Path.of("target/prod-it/network.yaml").toAbsolutePath(),
                be.recordbroker.TestIo.freePort(), "target/prod-it-jvm-data", Integer.toString(port),
                Integer.toString(be.recordbroker.TestIo.freePort()))));
        command.add("--spring.profiles.active=prod");
        // the log is standard output; spring-jcl's start-up notice goes to standard error, before any logging
        Process jvm = new ProcessBuilder(command).redirectOutput(log.toFile())
                .redirectError(log.resolveSibling("prod-it-jvm.err").toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/services/IntraHub/" + ssin))
                    .header("Content-Type", "text/xml").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/>"
                                    + "</soap:Envelope>")).build();
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()) != null);
            var refused = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("<rb:traceId[^>]*>([0-9a-f]{32})</rb:traceId>")
                    .matcher(refused.body());
            assertThat(id.find()).as(refused.body()).isTrue();
            String traceId = id.group(1);

            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            // the first refusal was logged (at most one every 10 s): the waiting calls' or this one's
            await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.readString(log)
                    .contains("refused, unauthenticated"));
            java.util.List<String> lines = java.nio.file.Files.readAllLines(log);
            String line = lines.stream().filter(l -> l.contains("refused, unauthenticated")).findFirst().orElseThrow();
            com.fasterxml.jackson.databind.JsonNode logged = json.readTree(line);
            assertThat(logged.path("trace").path("id").asText()).as(line).matches("[0-9a-f]{32}");
            assertThat(logged.path("log").path("level").asText()).isEqualTo("WARN");
            assertThat(line).doesNotContain(ssin);
            assertThat(lines).as("no line names the patient").noneMatch(l -> l.contains(ssin));
            // every line the broker wrote is a JSON object (ECS)
            assertThat(lines.stream().filter(l -> l.startsWith("{"))).hasSizeGreaterThan(10);
            // (spring-jcl's notice about commons-logging is printed by spring-jcl itself, before logging starts)
            assertThat(lines.stream().filter(l -> !l.isBlank() && !l.startsWith("{")
                    && !l.startsWith("Standard Commons Logging discovery"))).as("non-JSON lines").isEmpty();
        } finally {
            jvm.destroy();
            jvm.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            jvm.destroyForcibly();
        }
    }
}
