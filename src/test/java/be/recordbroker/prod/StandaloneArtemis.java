package be.recordbroker.prod;

import be.recordbroker.TestIo;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A standalone Apache Artemis broker for the prod-profile tests: the Maven Central distribution that the build
 * unpacks into target/artemis-dist (system property {@code artemis.home}), an instance created under target/, run
 * as its own process on {@link #PORT}, and stopped (with its process tree) when the tests end.
 */
final class StandaloneArtemis implements AutoCloseable {

    static final int PORT = 61617;
    static final String USER = "record-broker";
    static final String PASSWORD = "record-broker-test";

    private final Process process;
    private final Path instance;

    private StandaloneArtemis(Process process, Path instance) {
        this.process = process;
        this.instance = instance;
    }

    static StandaloneArtemis start() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("artemis.home", "target/artemis-dist/apache-artemis-2.44.0"))
                .toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/artemis"))) {
            throw new IllegalStateException("no Artemis distribution at " + home + " (run through ./mvnw verify)");
        }
        if (portOpen()) {
            throw new IllegalStateException("port " + PORT + " is already taken; stop what listens there");
        }
        Path instance = Path.of("target/artemis-instance").toAbsolutePath();
        TestIo.deleteTree(instance);
        Path log = Path.of("target/artemis-instance.log").toAbsolutePath();
        run(List.of(home.resolve("bin/artemis").toString(), "create", instance.toString(), "--silent", "--force",
                "--user", USER, "--password", PASSWORD, "--require-login", "--no-web", "--no-autotune",
                "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor",
                "--default-port", Integer.toString(PORT)), log, Duration.ofMinutes(2));
        Process broker = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!portOpen()) {
            if (!broker.isAlive() || Instant.now().isAfter(deadline)) {
                broker.destroyForcibly();
                throw new IllegalStateException("standalone Artemis did not start; see " + log);
            }
            Thread.sleep(200);
        }
        return new StandaloneArtemis(broker, instance);
    }

    String url() {
        return "tcp://127.0.0.1:" + PORT;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Path instance() {
        return instance;
    }

    private static boolean portOpen() {
        try (Socket ignored = new Socket("127.0.0.1", PORT)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("'" + String.join(" ", command.subList(0, 2)) + "' failed; see " + log);
        }
    }

}
