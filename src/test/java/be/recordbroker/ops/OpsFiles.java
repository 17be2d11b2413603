package be.recordbroker.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.yaml.snakeyaml.Yaml;

/** The dashboards and alert rules under ops/ (the build runs in the project directory), read for the tests. */
final class OpsFiles {

    static final Path OPS = Path.of("ops");
    static final Path ALERTS = OPS.resolve("prometheus/alerts.yml");
    static final Path ALERT_TESTS = OPS.resolve("prometheus/alerts-test.yml");
    static final Path DASHBOARDS = OPS.resolve("grafana/dashboards");

    /** A PromQL expression and where it comes from. */
    record Expr(String where, String promql) {
    }

    private OpsFiles() {
    }

    /** Every panel target's expression of every dashboard, with the dashboard variables given values. */
    static List<Expr> panelExpressions(Map<String, String> variables) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Expr> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String expr = target.path("expr").asText();
                        for (var v : variables.entrySet()) {
                            expr = expr.replace("$" + v.getKey(), v.getValue());
                        }
                        found.add(new Expr(file.getFileName() + " / " + panel.path("title").asText(), expr));
                    }
                }
            }
        }
        return found;
    }

    /** Every alert of alerts.yml: name to expression. */
    @SuppressWarnings("unchecked")
    static Map<String, String> alerts() throws IOException {
        Map<String, String> alerts = new java.util.LinkedHashMap<>();
        for (Map<String, Object> rule : alertRules()) {
            alerts.put((String) rule.get("alert"), (String) rule.get("expr"));
        }
        return alerts;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() throws IOException {
        try (Reader reader = Files.newBufferedReader(ALERTS)) {
            Map<String, Object> doc = new Yaml().load(reader);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
                rules.addAll((List<Map<String, Object>>) group.get("rules"));
            }
            return rules;
        }
    }

    /** An executable on the PATH (Debian's prometheus package: /usr/bin), or a failure naming the package. */
    static Path tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " is not on the PATH: install the Debian package prometheus (.ci/run does)");
    }
}
