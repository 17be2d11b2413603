package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The alert rules with Prometheus' own tool: {@code promtool check rules} (syntax, PromQL) and
 * {@code promtool test rules} (ops/prometheus/alerts-test.yml: each alert fires on what it names, not on its near
 * miss). Also: every alert has a unit test and a runbook entry in docs/operations.md.
 */
class OpsAlertRulesIT {

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = run(List.of(OpsFiles.tool("promtool").toString(), "check", "rules", OpsFiles.ALERTS.toString()));
        assertThat(out).contains("SUCCESS: " + OpsFiles.alerts().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        assertThat(run(List.of(OpsFiles.tool("promtool").toString(), "test", "rules", OpsFiles.ALERT_TESTS.toString())))
                .contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestAndARunbookEntry() throws Exception {
        String tests = java.nio.file.Files.readString(OpsFiles.ALERT_TESTS);
        String runbook = java.nio.file.Files.readString(java.nio.file.Path.of("docs/operations.md"));
        assertThat(OpsFiles.alerts()).hasSize(7);
        for (String alert : OpsFiles.alerts().keySet()) {
            assertThat(tests).as(alert).contains("alertname: " + alert + "\n");
            assertThat(runbook).as(alert).contains("### " + alert + "\n");
        }
    }

    /** The live test checks that each metric an alert reads exists: the names it finds must be exactly those. */
    @Test
    void theMetricNamesOfEachAlertAreFound() throws Exception {
        var alerts = OpsFiles.alerts();
        assertThat(PrometheusLiveIT.metricNames(alerts.get("RecordBrokerInstanceDown"))).containsExactly("up");
        assertThat(PrometheusLiveIT.metricNames(alerts.get("HubCircuitOpen")))
                .containsExactly("resilience4j_circuitbreaker_state");
        assertThat(PrometheusLiveIT.metricNames(alerts.get("IngestBacklogGrowing")))
                .containsExactly("artemis_message_count");
        assertThat(PrometheusLiveIT.metricNames(alerts.get("CertificateExpiringSoon")))
                .containsExactly("rb_tls_certificate_expiry_seconds");
        assertThat(PrometheusLiveIT.metricNames(alerts.get("AuditUnavailableAnswered")))
                .containsExactly("rb_access_decisions_total");
    }
}
