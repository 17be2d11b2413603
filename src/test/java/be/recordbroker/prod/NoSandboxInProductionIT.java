package be.recordbroker.prod;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import be.recordbroker.BrokerJvm;
import be.recordbroker.TestIo;

/**
 * The broker as {@code java -jar} runs it: its own JVM on the main class path only (no test classes, no
 * target/sandbox-classes) and no profile. No sandbox then: no demo token endpoint, no published sandbox key set, no
 * sandbox hospital listener, and with no JWK set configured every bearer token is refused.
 */
class NoSandboxInProductionIT {

    private static final Path OUT = Path.of("target/no-sandbox-test").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Process broker;
    private static int httpPort;
    private static int lgePort;
    private static Path log;

    @BeforeAll
    static void start() throws Exception {
        TestIo.deleteTree(OUT);
        Files.createDirectories(OUT);
        httpPort = TestIo.freePort();
        lgePort = TestIo.freePort();
        log = OUT.resolve("broker.log");
        List<String> command = new ArrayList<>(BrokerJvm.commandWithoutSandbox("-Xmx384m"));
        command.addAll(List.of(
                "--server.port=" + httpPort,
                "--server.address=127.0.0.1",
                "--record-broker.mllp.port=" + TestIo.freePort(),
                "--record-broker.mllp.bind-address=127.0.0.1",
                // without a profile MLLP needs its TLS stores (it refuses to start otherwise); this test is about HTTP
                "--record-broker.mllp.plaintext=true",
                "--record-broker.sites.sandbox-lge.mllp-port=" + lgePort,
                "--record-broker.data-dir=" + OUT.resolve("data"),
                "--spring.main.banner-mode=off"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove("SPRING_PROFILES_DEFAULT");
        builder.environment().remove("RECORD_BROKER_DATA_DIR");
        broker = builder.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        // ready once the REST face answers (a 401 without a token), so a 404 below is not a face still starting
        while (status("GET", "/api/v1/patients/12020175988/audit", null) != 401) {
            if (!broker.isAlive()) {
                throw new AssertionError("the broker without the sandbox did not start:\n" + Files.readString(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the broker without the sandbox did not answer in time:\n" + Files.readString(log));
            }
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    /** The HTTP status, or -1 when nothing answers yet. */
    private static int status(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.method(method, "POST".equals(method)
                ? HttpRequest.BodyPublishers.ofString("{\"ssin\":\"12020175988\",\"profession\":\"patient\",\"name\":\"X\"}")
                : HttpRequest.BodyPublishers.noBody());
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void noSandboxEndpointIsServed() {
        assertThat(status("POST", "/sandbox/token", null)).isEqualTo(404);
        assertThat(status("GET", "/sandbox/token", null)).isEqualTo(404);
        assertThat(status("GET", "/sandbox/jwks.json", null)).isEqualTo(404);
        assertThat(status("GET", "/sandbox/hubs/rsb/intrahub/v3?wsdl", null)).isEqualTo(404);
    }

    @Test
    void withNoJwkSetEveryBearerTokenIsRefused() throws Exception {
        String anyToken = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        assertThat(status("GET", "/api/v1/patients/12020175988/audit", anyToken)).isEqualTo(401);
        assertThat(status("GET", "/api/v1/patients/12020175988/audit", null)).isEqualTo(401);
        assertThat(Files.readString(log)).contains("record-broker.identity.jwks-url").contains("every REST bearer token will be refused");
    }

    @Test
    void theOpenApiContractNeedsATokenAndNoSwaggerUiIsServed() {
        String anyToken = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        assertThat(status("GET", "/api/v1/openapi.json", null)).isEqualTo(401);
        assertThat(status("GET", "/api/v1/openapi.json", anyToken)).isEqualTo(401);
        assertThat(status("GET", "/sandbox/openapi", null)).isEqualTo(404);
        assertThat(status("GET", "/sandbox/swagger-ui/swagger-ui-bundle.js", null)).isEqualTo(404);
        assertThat(status("GET", "/sandbox/swagger-ui/index.html", null)).isEqualTo(404);
    }

    @Test
    void theJarHoldsNoSwaggerUi() throws Exception {
        for (Path jar : jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.stream().map(e -> e.getName()).filter(n -> n.contains("swagger-ui")))
                        .as(jar + " holds Swagger UI (a sandbox-only, test-scope dependency)").isEmpty();
            }
        }
    }

    @Test
    void theSandboxHospitalsPerSiteListenerIsNotOpened() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", lgePort), 1000);
            throw new AssertionError("routes/sandbox/ was loaded without the sandbox profile: port " + lgePort + " open");
        } catch (ConnectException expected) {
            // nothing listens
        } catch (IOException e) {
            // timeout or refusal: nothing listens either
        }
    }

    @Test
    void theMainClassesAndTheJarHoldNoSandboxClass() throws Exception {
        assertThat(Path.of("target/classes/be/recordbroker")).isDirectory();
        assertThat(Path.of("target/classes/be/recordbroker/sandbox")).doesNotExist();
        assertThat(Path.of("target/classes/sandbox")).doesNotExist();
        for (Path jar : jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.stream().map(e -> e.getName())
                        .filter(n -> n.contains("be/recordbroker/sandbox/") || n.startsWith("BOOT-INF/classes/sandbox/")))
                        .as(jar + " holds sandbox classes").isEmpty();
            }
        }
    }

    /** The broker's jars in target/: under failsafe ({@code ./mvnw verify}) at least the one this build packaged. */
    private static List<Path> jars() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jars = files.filter(p -> p.getFileName().toString().matches("record-broker-.*\\.jar"))
                    .map(p -> p.toAbsolutePath().normalize()).toList();
        }
        BrokerJvm.packagedJar().ifPresent(jar -> assertThat(jars).contains(jar.toAbsolutePath().normalize()));
        return jars;
    }
}
