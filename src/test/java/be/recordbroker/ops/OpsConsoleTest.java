package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import be.recordbroker.SandboxIntegrationTest;

/**
 * The ops console (Camel's developer console as actuator endpoint {@code camel}, docs/operations-console.md) over
 * plain HTTP: only on the management port, only for role {@code ops}, and only the allow-listed consoles.
 */
class OpsConsoleTest extends SandboxIntegrationTest {

    /** Every console path ops use, including the dead-letter calls the console's runbook points to. */
    static final List<String> CONSOLE_PATHS = List.of("/actuator/camel", "/actuator/camel/route",
            "/actuator/camel/context", "/actuator/camel/circuit-breaker", "/actuator/camel/all",
            "/api/v1/admin/dead-letters");

    @Test
    void anonymousAndNonOpsCallersAreRefusedOnEveryConsolePath() throws Exception {
        for (String path : CONSOLE_PATHS) {
            HttpResponse<String> anonymous = get(managementPort, path, null);
            assertThat(anonymous.statusCode()).as("anonymous " + path).isEqualTo(401);
            // the challenge a browser needs to ask for the ops login
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path)
                    .contains("Basic realm=\"record-broker-ops\"");
            assertThat(anonymous.body()).as(path).doesNotContain("exchangesTotal");
            HttpResponse<String> viewer = get(managementPort, path, "viewer:sandbox-ops-secret");
            assertThat(viewer.statusCode()).as("viewer " + path).isEqualTo(403);
            assertThat(viewer.body()).as(path).doesNotContain("exchangesTotal");
            assertThat(get(managementPort, path, "ops:not-the-password").statusCode()).as(path).isEqualTo(401);
            assertThat(get(managementPort, path, OPS).statusCode()).as("ops " + path).isEqualTo(200);
        }
        HttpResponse<String> replay = post(managementPort, "/api/v1/admin/dead-letters/replay", "viewer:sandbox-ops-secret");
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(post(managementPort, "/api/v1/admin/dead-letters/replay", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theConsoleIsNotOnTheMainPort() throws Exception {
        for (String path : CONSOLE_PATHS) {
            HttpResponse<String> response = get(port, path, OPS);
            assertThat(response.statusCode()).as(path).isIn(401, 404);
            assertThat(response.body()).as(path).doesNotContain("exchangesTotal").doesNotContain("routeId");
        }
    }

    @Test
    void routesWithTheirStatisticsAndOnlyTheAllowListedConsoles() throws Exception {
        JsonNode consoles = json.readTree(get(managementPort, "/actuator/camel", OPS).body());
        List<String> ids = new ArrayList<>();
        consoles.fieldNames().forEachRemaining(ids::add);
        assertThat(ids).contains("route", "context", "health").allMatch(OpsConsoleConfiguration.ALLOWED::contains);
        // consoles that show message bodies, configuration or can act are not there, by id or by "all"
        for (String gone : List.of("browse", "receive", "message-history", "trace", "send", "properties",
                "system-properties", "variables", "inflight", "source", "bean")) {
            JsonNode answer = json.readTree(get(managementPort, "/actuator/camel/" + gone, OPS).body());
            assertThat(answer.has(gone)).as(gone).isFalse();
        }
        JsonNode all = json.readTree(get(managementPort, "/actuator/camel/all", OPS).body());
        List<String> allIds = new ArrayList<>();
        all.fieldNames().forEachRemaining(allIds::add);
        assertThat(allIds).allMatch(OpsConsoleConfiguration.ALLOWED::contains);
        // Camel's write endpoints (stop/start routes) are not exposed
        assertThat(get(managementPort, "/actuator/camelroutes", OPS).statusCode()).isEqualTo(404);
        assertThat(get(managementPort, "/actuator/camelroutecontroller", OPS).statusCode()).isEqualTo(404);

        JsonNode routes = json.readTree(get(managementPort, "/actuator/camel/route", OPS).body()).path("route")
                .path("routes");
        List<String> routeIds = new ArrayList<>();
        routes.forEach(r -> routeIds.add(r.path("routeId").asText()));
        assertThat(routeIds).contains("hl7-mllp-listener", "hl7-declare-rsb", "hl7-declare-cozo", "hl7-declare-rsw",
                "hl7-dead-letter");
        routes.forEach(r -> assertThat(r.path("statistics").has("exchangesTotal")).as(r.toString()).isTrue());
    }

    static final String OPS = "ops:sandbox-ops-secret";

    private HttpResponse<String> get(int port, String path, String credentials) throws Exception {
        return http.send(request(port, path, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String credentials) throws Exception {
        return http.send(request(port, path, credentials).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(int port, String path, String credentials) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }
}
