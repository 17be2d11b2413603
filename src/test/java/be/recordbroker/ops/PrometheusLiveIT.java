package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import be.recordbroker.TestMllp;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.TestIo;
import be.recordbroker.ingest.Hl7TestMessages;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * A real Prometheus (Debian's package) scrapes the running sandbox broker's management port as the ops user under a
 * short traffic mix (HL7 over MLLP, searches, a retrieval, refusals, hub cozo down), with ops/prometheus/alerts.yml
 * loaded. Then every PromQL expression of every dashboard panel is evaluated through Prometheus' HTTP API and must
 * return data, every metric every alert reads must exist, and the hub-down alert must fire. The rules are a copy of
 * alerts.yml with HubCircuitOpen's {@code for:} cut from 5m to 5s, so that the test need not wait five minutes.
 */
class PrometheusLiveIT extends SandboxIntegrationTest {

    static final String OLIVIA = "78040814421"; // seed: known to rsb and cozo, GP link
    static final String GP = "12345625004";
    static final String DENTIST = "33344541001";
    /** No certificate in the sandbox: MLLP is plaintext and HTTP has no TLS (tested by CertificateExpiryMetersTest). */
    static final java.util.Set<String> ABSENT_IN_SANDBOX = java.util.Set.of("rb_tls_certificate_expiry_seconds");

    @Autowired
    CircuitBreakerRegistry breakers;

    private Process prometheus;
    private int prometheusPort;

    @Test
    void everyPanelAndAlertHasDataAndTheHubDownAlertFires() throws Exception {
        Path dir = Path.of("target", "prometheus-live");
        TestIo.deleteTree(dir);
        Files.createDirectories(dir);
        writeRules(dir.resolve("rules.yml"));
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 3s
                  scrape_timeout: 3s
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                scrape_configs:
                  - job_name: record-broker
                    metrics_path: /actuator/prometheus
                    basic_auth: {username: ops, password: sandbox-ops-secret}
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(managementPort));
        prometheusPort = TestIo.freePort();
        prometheus = new ProcessBuilder(OpsFiles.tool("prometheus").toString(),
                "--config.file=" + dir.resolve("prometheus.yml").toAbsolutePath(),
                "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> query("up{job=\"record-broker\"} == 1").size() == 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // say why: Prometheus' own view of the scrape (last error, duration)
                throw new AssertionError("Prometheus never scraped the broker: " + api("/api/v1/targets"), e);
            }

            traffic();
            Files.writeString(dir.resolve("scrape.txt"), opsGet("/actuator/prometheus").body());

            // the hub-down alert: the circuit to cozo is not closed, and the alert fires (for: cut to 5s)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(firing()).contains("HubCircuitOpen/cozo"));
            // every series a panel plots, with the boards' variables set to the hub down and a hospital that sent
            Map<String, String> variables = Map.of("hub", "cozo", "hospital", "SANDBOX-BRU");
            List<String> empty = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                empty.clear();
                for (OpsFiles.Expr e : OpsFiles.panelExpressions(variables)) {
                    if (query(e.promql()).isEmpty()) {
                        empty.add(e.where() + ": " + e.promql());
                    }
                }
                assertThat(empty).as("panels without data").isEmpty();
            });
            assertThat(OpsFiles.panelExpressions(variables)).hasSizeGreaterThan(25);

            // every metric each alert reads exists (their conditions are false here but the one above)
            for (var alert : OpsFiles.alerts().entrySet()) {
                for (String metric : metricNames(alert.getValue())) {
                    if (!ABSENT_IN_SANDBOX.contains(metric)) {
                        assertThat(query("count({__name__=\"" + metric + "\"})")).as(alert.getKey() + " reads " + metric)
                                .isNotEmpty();
                    }
                }
            }
            // and Prometheus evaluated every rule without error
            JsonNode rules = api("/api/v1/rules");
            rules.path("data").path("groups").forEach(g -> g.path("rules").forEach(r ->
                    assertThat(r.path("health").asText()).as(r.path("name").asText() + " " + r.path("lastError"))
                            .isEqualTo("ok")));
        } finally {
            prometheus.destroy();
            prometheus.waitFor();
            faults.clearAll();
            breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        }
    }

    /** HL7 from two hospitals (accepted, refused, garbage), searches allowed and denied, a retrieval, cozo down. */
    private void traffic() throws Exception {
        breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        link(OLIVIA, GP, "gpconsultation", LocalDate.now().minusDays(10));
        String patient = Hl7TestMessages.newSsin();
        assertThat(mllp(Hl7TestMessages.adt("SANDBOX-BRU", "A28", Hl7TestMessages.controlId("LIVE"), patient)))
                .contains("MSA|AA");
        assertThat(mllp(Hl7TestMessages.mdm("SANDBOX-BRU", "T02", Hl7TestMessages.controlId("LIVE"), patient,
                "LIVE-" + System.nanoTime(), null, "report".getBytes(StandardCharsets.UTF_8)))).contains("MSA|AA");
        assertThat(mllp(Hl7TestMessages.mdm("SANDBOX-BRU", "T02", Hl7TestMessages.controlId("LIVE"), patient, null,
                null, null))).contains("MSA|AE"); // no document number
        assertThat(mllp("this is not HL7")).contains("MSA|AR");

        String gp = token(GP, "persphysician", "An Verstraeten");
        JsonNode list = json.readTree(rest("/api/v1/patients/" + OLIVIA + "/documents", gp).body());
        String id = list.path("documents").path(0).path("id").asText();
        assertThat(rest("/api/v1/documents/" + id, gp).statusCode()).isEqualTo(200);
        assertThat(rest("/api/v1/patients/" + OLIVIA + "/documents", token(DENTIST, "persdentist", "D"))
                .statusCode()).isEqualTo(403);
        assertThat(rest("/api/v1/patients/" + OLIVIA + "/documents", null).statusCode()).isEqualTo(401);

        // a Ghent message applied at cozo while it is up, then cozo down: searches open its circuit; a Ghent message waits and is retried (redeliveries)
        assertThat(mllp(Hl7TestMessages.adt("SANDBOX-GNT", "A28", Hl7TestMessages.controlId("LIVE"),
                Hl7TestMessages.newSsin()))).contains("MSA|AA");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                opsGet("/actuator/prometheus").body().contains("rb_hl7_enqueue_to_applied_seconds_count{hub=\"cozo\"}"));
        faults.set("cozo", new SandboxFaults.Faults(0, 0.0, true));
        assertThat(mllp(Hl7TestMessages.adt("SANDBOX-GNT", "A28", Hl7TestMessages.controlId("LIVE"),
                Hl7TestMessages.newSsin()))).contains("MSA|AA");
        for (int i = 0; i < 8 && breakers.circuitBreaker("cozo").getState() == CircuitBreaker.State.CLOSED; i++) {
            rest("/api/v1/patients/" + OLIVIA + "/documents", gp);
        }
        assertThat(breakers.circuitBreaker("cozo").getState()).isNotEqualTo(CircuitBreaker.State.CLOSED);
    }

    private String mllp(String er7) throws Exception {
        return TestMllp.send(MLLP_PORT, er7);
    }

    private HttpResponse<String> rest(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(pathAndQuery + " " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** The instant query's result vector (an error — a PromQL typo — fails the test). */
    private List<JsonNode> query(String promql) throws Exception {
        JsonNode body = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(body.path("status").asText()).as(promql).isEqualTo("success");
        List<JsonNode> result = new ArrayList<>();
        body.path("data").path("result").forEach(result::add);
        return result;
    }

    private List<String> firing() throws Exception {
        List<String> firing = new ArrayList<>();
        api("/api/v1/alerts").path("data").path("alerts").forEach(a -> {
            if ("firing".equals(a.path("state").asText())) {
                firing.add(a.path("labels").path("alertname").asText() + "/" + a.path("labels").path("name").asText());
            }
        });
        return firing;
    }

    /** alerts.yml with HubCircuitOpen's for: 5s (the only change). */
    @SuppressWarnings("unchecked")
    private static void writeRules(Path target) throws IOException {
        Map<String, Object> doc;
        try (var reader = Files.newBufferedReader(OpsFiles.ALERTS)) {
            doc = new Yaml().load(reader);
        }
        int changed = 0;
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if ("HubCircuitOpen".equals(rule.get("alert"))) {
                    rule.put("for", "5s");
                    changed++;
                }
            }
        }
        assertThat(changed).isEqualTo(1);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try (Writer writer = Files.newBufferedWriter(target)) {
            new Yaml(options).dump(doc, writer);
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final java.util.Set<String> PROMQL_WORDS = java.util.Set.of("sum", "by", "max", "min", "and", "on",
            "offset", "increase", "rate", "deriv", "min_over_time", "max_over_time", "without", "or", "unless", "count",
            "avg", "ignoring", "group_left", "group_right", "histogram_quantile", "bool");

    /** The metric names an expression reads: identifiers outside braces and strings that are not PromQL words. */
    static TreeSet<String> metricNames(String promql) {
        String bare = promql.replaceAll("\\{[^}]*}", " ").replaceAll("\"[^\"]*\"", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("(?<![a-zA-Z0-9_:])[0-9][0-9.e]*[a-z]*", " "); // numbers and durations (10m)
        TreeSet<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            int end = m.end();
            boolean isLabelList = bare.lastIndexOf("by (", m.start()) > bare.lastIndexOf(')', m.start())
                    || bare.lastIndexOf("on (", m.start()) > bare.lastIndexOf(')', m.start());
            if (!PROMQL_WORDS.contains(word) && !isLabelList && !word.matches("\\d.*")
                    && !(end < bare.length() && bare.charAt(end) == '(')) {
                names.add(word);
            }
        }
        return names;
    }
}
