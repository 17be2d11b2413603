package be.recordbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.junit.jupiter.api.Test;

import be.recordbroker.TestIo;

/**
 * The deployment files (issue 14: docker/compose.yaml, docker/k8s/*.yaml, docker/artemis/entrypoint.sh), checked
 * offline, since no Docker engine or cluster runs here: compose by docker-compose's own validator (Debian's
 * {@code docker-compose config}), the Kubernetes objects against the API schemas (npm {@code kubernetes-models}), the
 * Artemis entrypoint by running its instance creation against the distribution the build unpacks; and what the
 * schemas cannot see — probes on the management port, every referenced Secret key declared, selectors that select,
 * both Artemis nodes in the brokers' URL, no credential value shipped. A missing tool skips unless
 * {@code RECORD_BROKER_REQUIRE_TOOLS=true} (as in CI).
 */
class DeploymentFilesIT {

    private static final Path DOCKER = Path.of("docker");
    private static final Path K8S = DOCKER.resolve("k8s");
    private static final Pattern REQUIRED_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?");
    private final ObjectMapper yaml = new YAMLMapper();

    // ------------------------------------------------------------------------------------------------------ compose

    @Test
    void composeFileIsValidForDockerCompose() throws Exception {
        requireTool("docker-compose", "--version");
        Result ok = run(List.of("docker-compose", "-f", DOCKER.resolve("compose.yaml").toString(), "config", "-q"),
                composeEnv(null));
        assertThat(ok.exit).as(ok.output).isZero();
    }

    @Test
    void composeRefusesToStartWithoutACredentialAndNamesIt() throws Exception {
        requireTool("docker-compose", "--version");
        Result missing = run(List.of("docker-compose", "-f", DOCKER.resolve("compose.yaml").toString(), "config", "-q"),
                composeEnv("RECORD_BROKER_AUDIT_KEY"));
        assertThat(missing.exit).isNotZero();
        assertThat(missing.output).contains("set RECORD_BROKER_AUDIT_KEY");
    }

    @Test
    void everyRequiredComposeVariableIsInTheExampleEnvFileWithNoValueForSecrets() throws IOException {
        Set<String> required = requiredComposeVariables();
        Map<String, String> example = exampleEnv();
        assertThat(example.keySet()).containsAll(required);
        example.forEach((name, value) -> {
            if (name.contains("PASSWORD") || name.endsWith("_KEY")) {
                assertThat(value).as("%s must not ship a value", name).isEmpty();
            }
        });
    }

    @Test
    void composeBrokersUseBothArtemisNodesAndPublishOnLoopbackByDefault() throws Exception {
        // the model as docker-compose resolves it (anchors, merge keys, defaults), not the file's text
        requireTool("docker-compose", "--version");
        Result resolved = run(List.of("docker-compose", "-f", DOCKER.resolve("compose.yaml").toString(), "config"),
                composeEnv(null));
        assertThat(resolved.exit).as(resolved.output).isZero();
        JsonNode compose = yaml.readTree(resolved.output);
        for (String broker : List.of("broker-1", "broker-2")) {
            JsonNode service = compose.path("services").path(broker);
            assertThat(service.path("environment").path("SPRING_PROFILES_ACTIVE").asText()).isEqualTo("prod");
            assertHaUrl(service.path("environment").path("ARTEMIS_URL").asText(), "artemis-primary", "artemis-backup");
            assertThat(service.path("ports").size()).isEqualTo(3);
            for (JsonNode port : service.path("ports")) {
                assertThat(port.asText()).startsWith("127.0.0.1:");
            }
        }
        assertThat(compose.path("services").path("postgres").path("ports").isMissingNode()).as("no published DB").isTrue();
        assertThat(compose.path("services").path("artemis-primary").path("ports").isMissingNode()).isTrue();
    }

    @Test
    void composePrometheusScrapesBothInstancesWithTheOpsAlertsAndGrafanaGetsTheDashboards() throws Exception {
        requireTool("promtool", "--version");
        Path dir = Path.of("target/compose-prometheus").toAbsolutePath();
        TestIo.deleteTree(dir);
        Files.createDirectories(dir);
        Files.copy(DOCKER.resolve("prometheus/prometheus.yml"), dir.resolve("prometheus.yml"));
        Files.copy(Path.of("ops/prometheus/alerts.yml"), dir.resolve("alerts.yml"));
        Result check = run(List.of("promtool", "check", "config", dir.resolve("prometheus.yml").toString()), Map.of());
        assertThat(check.exit).as(check.output).isZero();
        assertThat(check.output).contains("rule files found");
        JsonNode config = yaml.readTree(DOCKER.resolve("prometheus/prometheus.yml").toFile());
        JsonNode job = config.path("scrape_configs").get(0);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(job.at("/basic_auth/username").asText()).isEqualTo("ops");
        assertThat(job.at("/static_configs/0/targets").toString()).contains("broker-1:8081").contains("broker-2:8081");

        requireTool("docker-compose", "--version");
        Result resolved = run(List.of("docker-compose", "-f", DOCKER.resolve("compose.yaml").toString(), "config"),
                composeEnv(null));
        JsonNode services = yaml.readTree(resolved.output).path("services");
        String prometheusMounts = services.path("prometheus").path("volumes").toString();
        assertThat(prometheusMounts).contains("/etc/prometheus/prometheus.yml").contains("/etc/prometheus/alerts.yml");
        String grafanaMounts = services.path("grafana").path("volumes").toString();
        assertThat(grafanaMounts).contains("/etc/grafana/provisioning").contains("/var/lib/grafana/dashboards");
        assertThat(services.path("grafana").path("environment").path("GF_AUTH_ANONYMOUS_ENABLED").asText())
                .isEqualTo("false");
        for (String service : List.of("prometheus", "grafana")) {
            for (JsonNode port : services.path(service).path("ports")) {
                assertThat(port.asText()).startsWith("127.0.0.1:");
            }
        }
    }

    // --------------------------------------------------------------------------------------------------- kubernetes

    @Test
    void kubernetesObjectsValidateAgainstTheApiSchemas() throws Exception {
        Path validator = k8sValidator();
        List<String> command = new ArrayList<>(List.of("node", validator.resolve("validate-k8s.js").toString()));
        for (Path file : k8sFiles()) {
            command.add(file.toAbsolutePath().toString());
        }
        Result result = run(command, Map.of(), validator);
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).contains("valid ").doesNotContain("INVALID");
        assertThat(result.output.lines().filter(l -> l.startsWith("valid ")).count()).isEqualTo(k8sObjects().size());
    }

    @Test
    void theSchemaValidatorRefusesABrokenManifest() throws Exception {
        Path validator = k8sValidator();
        Path broken = validator.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(K8S.resolve("record-broker.yaml"))
                .replace("replicas: 2", "replicas: two"));
        Result result = run(List.of("node", validator.resolve("validate-k8s.js").toString(), broken.toString()),
                Map.of(), validator);
        assertThat(result.exit).isNotZero();
        assertThat(result.output).contains("INVALID").contains("replicas");
    }

    @Test
    void brokerProbesAreTheOpenHealthGroupsOfTheManagementPort() throws IOException {
        JsonNode container = podSpec(object("Deployment", "record-broker")).path("containers").get(0);
        assertThat(portNumber(container, "management")).isEqualTo(8081);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.path(probe).at("/httpGet/port").asText()).as(probe).isEqualTo("management");
        }
        String url = envValue(container, "ARTEMIS_URL");
        assertHaUrl(url, "artemis-0.artemis", "artemis-1.artemis");
        assertThat(envValue(container, "SPRING_PROFILES_ACTIVE")).isEqualTo("prod");
    }

    @Test
    void everySecretAndConfigMapReferencedIsDeclaredWithTheKeysUsedAndNoCredentialShipped() throws IOException {
        Map<String, JsonNode> declared = new HashMap<>();
        for (JsonNode o : k8sObjects()) {
            if (Set.of("Secret", "ConfigMap").contains(o.path("kind").asText())) {
                declared.put(o.path("kind").asText() + "/" + o.at("/metadata/name").asText(), o);
            }
        }
        for (JsonNode workload : List.of(object("Deployment", "record-broker"), object("StatefulSet", "artemis"))) {
            JsonNode pod = podSpec(workload);
            for (JsonNode container : pod.path("containers")) {
                for (JsonNode env : container.path("env")) {
                    JsonNode ref = env.at("/valueFrom/secretKeyRef");
                    if (!ref.isMissingNode()) {
                        JsonNode secret = declared.get("Secret/" + ref.path("name").asText());
                        assertThat(secret).as("Secret %s", ref.path("name").asText()).isNotNull();
                        assertThat(secret.path("stringData").has(ref.path("key").asText())).as("key %s", ref).isTrue();
                    }
                }
                for (JsonNode from : container.path("envFrom")) {
                    assertThat(declared).containsKey("Secret/" + from.at("/secretRef/name").asText());
                }
            }
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("secret")) {
                    assertThat(declared).containsKey("Secret/" + volume.at("/secret/secretName").asText());
                }
                if (volume.has("configMap")) {
                    assertThat(declared).containsKey("ConfigMap/" + volume.at("/configMap/name").asText());
                }
            }
        }
        // what ProdSettings requires is in the broker's Secret, and no credential has a value
        JsonNode brokerSecret = declared.get("Secret/record-broker").path("stringData");
        for (String required : List.of("DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_OWNER_USER",
                "DATABASE_OWNER_PASSWORD", "RECORD_BROKER_JWKS_URL", "RECORD_BROKER_TOKEN_ISSUER",
                "RECORD_BROKER_TOKEN_AUDIENCE", "RECORD_BROKER_AUDIT_KEY", "RECORD_BROKER_DOCUMENT_ID_KEY",
                "RECORD_BROKER_INGEST_GROUP_KEY")) {
            assertThat(brokerSecret.has(required)).as(required).isTrue();
        }
        for (JsonNode secret : declared.values()) {
            for (String field : List.of("stringData", "data")) {
                secret.path(field).fields().forEachRemaining(e -> {
                    String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
                    if (name.contains("password") || name.endsWith("_key") || name.endsWith(".p12")) {
                        assertThat(e.getValue().asText()).as("%s ships no value", e.getKey()).isEmpty();
                    }
                });
            }
        }
    }

    @Test
    void disruptionBudgetsAndServicesSelectThePodsTheyMeanAndArtemisNodesNeverShareAMachine() throws IOException {
        Map<String, String> brokerLabels = labels(object("Deployment", "record-broker"));
        Map<String, String> artemisLabels = labels(object("StatefulSet", "artemis"));
        assertSelects(object("PodDisruptionBudget", "record-broker").at("/spec/selector/matchLabels"), brokerLabels);
        assertSelects(object("PodDisruptionBudget", "artemis").at("/spec/selector/matchLabels"), artemisLabels);
        assertSelects(object("Service", "record-broker").at("/spec/selector"), brokerLabels);
        assertSelects(object("Service", "record-broker-management").at("/spec/selector"), brokerLabels);
        assertSelects(object("Service", "artemis").at("/spec/selector"), artemisLabels);
        assertThat(object("StatefulSet", "artemis").at("/spec/serviceName").asText()).isEqualTo("artemis");
        assertThat(object("StatefulSet", "artemis").at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(object("Service", "artemis").at("/spec/clusterIP").asText()).isEqualTo("None");
        JsonNode antiAffinity = podSpec(object("StatefulSet", "artemis"))
                .at("/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution");
        assertThat(antiAffinity.get(0).path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertSelects(antiAffinity.get(0).at("/labelSelector/matchLabels"), artemisLabels);
        // the management port is not on the Service the clients reach
        for (JsonNode port : object("Service", "record-broker").at("/spec/ports")) {
            assertThat(port.path("port").asInt()).isNotEqualTo(8081);
        }
        for (JsonNode workload : List.of(object("Deployment", "record-broker"), object("StatefulSet", "artemis"))) {
            assertThat(podSpec(workload).at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(podSpec(workload).at("/securityContext/runAsUser").asInt()).isPositive();
        }
    }

    /**
     * The image starts from the extracted jar with the AOT cache its training run wrote (start-up, issue 17): the
     * cache, the jar and the extraction directory named alike in the steps, so that a renamed path cannot leave the
     * image starting without its cache (the JVM would only warn); the cache is made by the runtime stage's JRE (a
     * JDK 24 or later: JEP 483), the one that reads it; the training run goes as far as ready.
     */
    @Test
    void imageStartsFromTheExtractedJarWithTheAotCacheItsTrainingRunWrote() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher entry = Pattern.compile(
                "(?m)^ENTRYPOINT \\[\"java\", \"-XX:AOTCache=([^\"]+)\", \"-jar\", \"([^\"]+)\"\\]$")
                .matcher(dockerfile);
        assertThat(entry.find()).as("ENTRYPOINT [\"java\", \"-XX:AOTCache=...\", \"-jar\", ...]").isTrue();
        String cache = entry.group(1);
        String jar = entry.group(2);
        assertThat(dockerfile)
                .contains("extract --destination " + jar.substring(0, jar.lastIndexOf('/')))
                .contains("-XX:AOTCacheOutput=" + cache + " -jar " + jar + " --record-broker.warm-up.exit-when-ready=true")
                .contains("test -s " + cache);
        Matcher runtime = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-jre\\s*$").matcher(dockerfile);
        assertThat(runtime.find()).as("the runtime stage FROM eclipse-temurin:<version>-jre").isTrue();
        assertThat(Integer.parseInt(runtime.group(1))).as("a JRE with the AOT cache").isGreaterThanOrEqualTo(24);
    }

    @Test
    void imagesRunAsTheNumericUsersTheManifestsExpect() throws IOException {
        assertThat(Files.readString(DOCKER.resolve("Dockerfile"))).containsPattern("(?m)^USER "
                + podSpec(object("Deployment", "record-broker")).at("/securityContext/runAsUser").asInt() + "$");
        assertThat(Files.readString(DOCKER.resolve("artemis/Dockerfile"))).containsPattern("(?m)^USER "
                + podSpec(object("StatefulSet", "artemis")).at("/securityContext/runAsUser").asInt() + "$");
    }

    // ------------------------------------------------------------------------------------------ artemis entrypoint

    @Test
    void artemisEntrypointCreatesAReplicatedPairThatFailsBackWithoutASplitBrain() throws Exception {
        Path home = Path.of(System.getProperty("artemis.home", "target/artemis-dist/apache-artemis-2.44.0"))
                .toAbsolutePath();
        assumeTrue(Files.isExecutable(home.resolve("bin/artemis")), "no Artemis distribution (run through ./mvnw)");
        Path work = Path.of("target/artemis-entrypoint-test").toAbsolutePath();
        TestIo.deleteTree(work);
        Files.createDirectories(work);
        Map<String, String> primary = entrypointEnv(home, work.resolve("primary"), "primary");
        Result p = run(List.of("bash", DOCKER.resolve("artemis/entrypoint.sh").toAbsolutePath().toString()), primary);
        assertThat(p.exit).as(p.output).isZero();
        Map<String, String> backup = entrypointEnv(home, work.resolve("backup"), "backup");
        Result b = run(List.of("bash", DOCKER.resolve("artemis/entrypoint.sh").toAbsolutePath().toString()), backup);
        assertThat(b.exit).as(b.output).isZero();

        String primaryXml = Files.readString(work.resolve("primary/etc/broker.xml"));
        String backupXml = Files.readString(work.resolve("backup/etc/broker.xml"));
        assertThat(ha(primaryXml)).contains("<replication>").contains("<primary>")
                .contains("<check-for-active-server>true</check-for-active-server>")
                .contains("<vote-on-replication-failure>false</vote-on-replication-failure>");
        assertThat(ha(backupXml)).contains("<replication>").contains("<allow-failback>true</allow-failback>");
        assertThat(primaryXml).contains("tcp://artemis-backup:61616").contains("<cluster-user>cl-user</cluster-user>");
        assertThat(backupXml).contains("tcp://artemis-primary:61616");
        assertThat(primaryXml).contains("<journal-type>ASYNCIO</journal-type>");
        // the broker's queue settings, as the embedded broker has them (IngestQueues), on both nodes
        for (String xml : List.of(primaryXml, backupXml)) {
            assertThat(xml).contains("<address-setting match=\"rb.hl7.declare.#\"><dead-letter-address>rb.hl7.ingest.dlq"
                    + "</dead-letter-address><max-delivery-attempts>-1</max-delivery-attempts><redelivery-delay>0"
                    + "</redelivery-delay></address-setting>");
        }
        assertThat(Files.readString(work.resolve("primary/etc/artemis-users.properties"))).contains("rb-user");
    }

    @Test
    void artemisEntrypointRefusesToStartWithoutCredentials() throws Exception {
        Map<String, String> env = entrypointEnv(Path.of("/nonexistent"), Path.of("target/never"), "primary");
        env.remove("ARTEMIS_CLUSTER_PASSWORD");
        Result r = run(List.of("bash", DOCKER.resolve("artemis/entrypoint.sh").toAbsolutePath().toString()), env);
        assertThat(r.exit).isNotZero();
        assertThat(r.output).contains("ARTEMIS_CLUSTER_PASSWORD is required");
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    private static Map<String, String> entrypointEnv(Path home, Path instance, String role) {
        Map<String, String> env = new HashMap<>();
        env.put("ARTEMIS_HOME", home.toString());
        env.put("ARTEMIS_INSTANCE", instance.toString());
        env.put("ARTEMIS_CREATE_ONLY", "true");
        env.put("ARTEMIS_ROLE", role);
        env.put("ARTEMIS_HOST", "artemis-" + role);
        env.put("ARTEMIS_PEER", "artemis-" + ("primary".equals(role) ? "backup" : "primary"));
        env.put("ARTEMIS_USER", "rb-user");
        env.put("ARTEMIS_PASSWORD", "rb-test-password");
        env.put("ARTEMIS_CLUSTER_USER", "cl-user");
        env.put("ARTEMIS_CLUSTER_PASSWORD", "cl-test-password");
        return env;
    }

    private static String ha(String brokerXml) {
        int from = brokerXml.indexOf("<ha-policy>");
        int to = brokerXml.indexOf("</ha-policy>");
        assertThat(from).as("an ha-policy").isNotNegative();
        return brokerXml.substring(from, to);
    }

    private static void assertHaUrl(String url, String first, String second) {
        assertThat(url).startsWith("(tcp://" + first + ":61616,tcp://" + second + ":61616)?")
                .contains("ha=true").contains("reconnectAttempts=-1");
    }

    private static void assertSelects(JsonNode selector, Map<String, String> podLabels) {
        assertThat(selector.isObject()).as("a selector").isTrue();
        assertThat(selector.size()).isPositive();
        selector.fields().forEachRemaining(e -> assertThat(podLabels).containsEntry(e.getKey(), e.getValue().asText()));
    }

    private static Map<String, String> labels(JsonNode workload) {
        Map<String, String> labels = new HashMap<>();
        workload.at("/spec/template/metadata/labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static JsonNode podSpec(JsonNode workload) {
        return workload.at("/spec/template/spec");
    }

    private static int portNumber(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + name);
    }

    private static String envValue(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return env.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }

    private JsonNode object(String kind, String name) throws IOException {
        for (JsonNode o : k8sObjects()) {
            if (kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText())) {
                return o;
            }
        }
        throw new AssertionError("no " + kind + " " + name + " in docker/k8s");
    }

    private List<JsonNode> k8sObjects() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        for (Path file : k8sFiles()) {
            try (var parser = new YAMLFactory().createParser(file.toFile())) {
                var it = yaml.readValues(parser, ObjectNode.class);
                while (it.hasNext()) {
                    ObjectNode o = it.next();
                    if (o != null && o.size() > 0) {
                        objects.add(o);
                    }
                }
            }
        }
        return objects;
    }

    private static List<Path> k8sFiles() throws IOException {
        try (var files = Files.list(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Set<String> requiredComposeVariables() throws IOException {
        Set<String> names = new HashSet<>();
        Matcher m = REQUIRED_VAR.matcher(Files.readString(DOCKER.resolve("compose.yaml")));
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("compose requires its credentials").contains("ARTEMIS_PASSWORD", "RECORD_BROKER_AUDIT_KEY");
        return names;
    }

    private static Map<String, String> exampleEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOCKER.resolve("compose.env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** Every variable of the example file with a dummy value, but {@code leaveOut}. */
    private static Map<String, String> composeEnv(String leaveOut) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String name : exampleEnv().keySet()) {
            env.put(name, "test-value");
        }
        env.put("RECORD_BROKER_NETWORK_FILE_ON_HOST", Path.of("config/network-prod.example.yaml").toAbsolutePath().toString());
        env.put("RECORD_BROKER_SECRETS_DIR", Path.of("target").toAbsolutePath().toString());
        if (leaveOut != null) {
            env.remove(leaveOut);
        }
        return env;
    }

    /** npm kubernetes-models and yaml, pinned by src/test/resources/deploy/package.json, in target/k8s-validator. */
    private static Path k8sValidator() throws Exception {
        requireTool("node", "--version");
        Path dir = Path.of("target/k8s-validator").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "validate-k8s.js")) {
            try (var in = DeploymentFilesIT.class.getResourceAsStream("/deploy/" + file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        if (!Files.isDirectory(dir.resolve("node_modules/kubernetes-models"))) {
            Result install = run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), dir);
            assertThat(install.exit).as("npm install: " + install.output).isZero();
        }
        return dir;
    }

    private static void requireTool(String... command) throws InterruptedException {
        boolean present;
        try {
            present = run(List.of(command), Map.of()).exit == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present && "true".equalsIgnoreCase(System.getenv("RECORD_BROKER_REQUIRE_TOOLS"))) {
            throw new AssertionError(command[0] + " is not installed; RECORD_BROKER_REQUIRE_TOOLS=true (.ci/run installs it)");
        }
        assumeTrue(present, command[0] + " is not installed");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return run(command, env, Path.of("").toAbsolutePath());
    }

    private static Result run(List<String> command, Map<String, String> env, Path dir)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // only what the command is given, so no variable of the machine's own satisfies a required one
        String path = System.getenv("PATH");
        String home = System.getenv("HOME");
        pb.environment().clear();
        pb.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
        if (home != null) {
            pb.environment().put("HOME", home);
        }
        pb.environment().putAll(env);
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
