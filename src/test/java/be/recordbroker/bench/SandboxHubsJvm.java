package be.recordbroker.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import be.recordbroker.BrokerJvm;
import be.recordbroker.TestIo;

/**
 * The sandbox network (the three hubs, the metahub, the hospitals' sources) in a JVM of its own: a broker started with
 * the sandbox as {@code ./mvnw spring-boot:run} starts it ({@link BrokerJvm}), on free ports, of which only the
 * sandbox's services are used. A benchmark's broker is pointed at it by {@link #brokerArguments}, so that the broker's
 * process and the hubs' are measured apart ({@link ProcCpu}). Stopped (and killed if it does not stop) by
 * {@link #close}, or when the benchmark's JVM exits.
 */
final class SandboxHubsJvm implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final Process process;
    private final String base;
    private final Path log;
    private final Thread killer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SandboxHubsJvm(Process process, String base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.killer = new Thread(this::stop, "sandbox-hubs-jvm-stop");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts it with the given JVM options on a fresh {@code data} directory; returns at once (its port is known: the
     * broker can start meanwhile), {@link #awaitAnswering} waits for its hubs.
     */
    static SandboxHubsJvm start(Path data, List<String> jvmOptions, Path log) throws Exception {
        TestIo.deleteTree(data);
        Files.createDirectories(log.getParent());
        int port = TestIo.freePort();
        List<String> command = new ArrayList<>(BrokerJvm.command(jvmOptions.toArray(String[]::new)));
        command.addAll(BenchBroker.arguments(data, port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove("RECORD_BROKER_DATA_DIR");
        return new SandboxHubsJvm(builder.start(), "http://127.0.0.1:" + port, log);
    }

    /** Returns once its hubs answer; fails if it exits or takes longer than {@link #START_TIMEOUT}. */
    void awaitAnswering() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI faults = URI.create(base + "/sandbox/hubs/rsb/faults");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the sandbox hubs' JVM exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(faults).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the sandbox hubs' JVM did not answer within " + START_TIMEOUT + "; see " + log);
    }

    /** Its process id, for {@link ProcCpu}. */
    long pid() {
        return process.pid();
    }

    long cpuNanos() {
        return ProcCpu.processNanos(process.pid());
    }

    long compilerNanos() {
        return ProcCpu.compilerNanos(process.pid());
    }

    /** Each of the three hubs answers after {@code latencyMs} ({@code PUT /sandbox/hubs/{code}/faults}). */
    void hubLatency(int latencyMs) throws Exception {
        for (String hub : List.of("rsb", "cozo", "rsw")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/hubs/" + hub + "/faults"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"latencyMs\":" + latencyMs + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("hub " + hub + " refused its latency: " + r.statusCode() + " " + r.body());
            }
        }
    }

    /**
     * The arguments of a broker that is to use these hubs: its network file, {@code template} (config/network.yaml)
     * with every path-only URL ("/sandbox/...", the broker's own server) made absolute on this JVM's server; and an
     * empty seed for its own sandbox, which then serves tokens and their key set only (a sandbox serves hubs only where
     * the network file points at the broker itself, and refuses a seed whose hospitals name a hub it does not serve).
     * Both files are written to {@code dir}.
     */
    List<String> brokerArguments(Path template, Path dir) throws IOException {
        String network = Files.readString(template);
        String pointed = network.replaceAll("(?m)^(\\s*url: )/", "$1" + base + "/");
        if (pointed.equals(network)) {
            throw new IllegalStateException(template + " has no path-only URL to point at the sandbox hubs' JVM");
        }
        Files.createDirectories(dir);
        Path networkFile = Files.writeString(dir.resolve("search-network.yaml"), pointed);
        Path seed = Files.writeString(dir.resolve("search-empty-seed.yaml"), """
                # the search benchmark's broker: its own sandbox serves tokens only; the hubs run in a JVM of their own
                hospitals: []
                professionals: []
                patients: []
                therapeutic-links: []
                exclusions: []
                documents: []
                """);
        return List.of("--record-broker.network-file=" + networkFile, "--record-broker.sandbox.seed=file:" + seed);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException exiting) {
            // the JVM is already exiting: the hook runs stop() again, which finds the process gone
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
