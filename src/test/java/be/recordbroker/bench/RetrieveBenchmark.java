package be.recordbroker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import be.recordbroker.RecordBrokerApplication;
import be.recordbroker.TestIo;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.retrieve.RetrievalFixtures;

/**
 * The retrieval benchmark (docs/benchmarks.md), each figure beside its anchor measured in the same run:
 * <ol>
 *   <li>throughput of a 256 MB document through the broker ({@code GET /api/v1/documents/{id}}: token, lookup at the
 *       hub, gate and audit row, then the stream from the hospital's REST source) against a direct download of the
 *       same document from the same sandbox source — alternating, {@code bench.retrieve.rounds} each, medians
 *       compared (goal ≥ 0.8);</li>
 *   <li>heap growth while a 64 MB and a 1 GB document stream through the broker: the most live heap (measured after a
 *       full GC at several points of the transfer) minus the live heap before it, against the same measure for the
 *       direct download (goal ≤ 32 MB, and the same for both sizes).</li>
 * </ol>
 * The broker and the sandbox run in this JVM (as {@code ./mvnw spring-boot:run} does); the client reads through a
 * 64 KB buffer and keeps nothing. Both paths are warmed up until the JIT is quiet first: before that the broker's path
 * runs at two thirds of its speed. Output to stdout and {@code target/bench/retrieve.txt}.
 */
public final class RetrieveBenchmark {

    static final long MB = 1024L * 1024;
    static final String PATIENT = "12020175988"; // seed: consent; a GP link is added

    private final int rounds = Integer.getInteger("bench.retrieve.rounds", 5);
    private final StringBuilder report = new StringBuilder();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    public static void main(String[] args) throws Exception {
        try {
            new RetrieveBenchmark().run();
        } finally {
            System.exit(0);
        }
    }

    void run() throws Exception {
        Path data = Path.of("target/bench-retrieve-data");
        TestIo.deleteTree(data);
        List<String> args = new ArrayList<>(List.of(
                "--record-broker.data-dir=" + data, "--server.port=0", "--management.server.port=0", "--record-broker.mllp.port=" + TestIo.freePort(),
                "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--logging.level.be.recordbroker=WARN",
                "--record-broker.sites.sandbox-lge.mllp-port=" + TestIo.freePort(),
                // SOAP schema validation as in prod (BenchBroker says why)
                "--record-broker.soap.schema-validation.face=IN", "--record-broker.soap.schema-validation.clients=OUT",
                "--record-broker.sandbox.soap-schema-validation=NONE"));
        for (String extra : System.getProperty("bench.retrieve.broker.args", "").split(",")) {
            if (!extra.isBlank()) {
                args.add("--" + extra.strip());
            }
        }
        ConfigurableApplicationContext broker = new SpringApplicationBuilder(RecordBrokerApplication.class)
                .run(args.toArray(String[]::new));
        try {
            String base = "http://127.0.0.1:" + broker.getBean(LocalServerAddress.class).port();
            RetrievalFixtures fixtures = new RetrievalFixtures(base);
            fixtures.link(PATIENT, RetrievalFixtures.GP, "gpconsultation");
            String token = fixtures.gpToken();
            line("retrieval benchmark: broker and sandbox in one JVM (max heap " + Runtime.getRuntime().maxMemory() / MB
                    + " MB, " + Runtime.getRuntime().availableProcessors() + " CPUs); client reads through 64 KB, keeps nothing");
            throughput(fixtures, base, token);
            heap(fixtures, base, token, 64 * MB);
            heap(fixtures, base, token, 1024 * MB);
        } finally {
            broker.close();
        }
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/retrieve.txt"), report);
    }

    // ------------------------------------------------------------------ 1. throughput

    void throughput(RetrievalFixtures fixtures, String base, String token) throws Exception {
        long size = 256 * MB;
        String localId = "GEN-" + size + "-3";
        String brokerUrl = base + "/api/v1/documents/" + fixtures.declare(RetrievalFixtures.BRU, PATIENT, localId,
                "dischargereport", null);
        String directUrl = base + "/sandbox/hospitals/SANDBOX-BRU/documents/" + localId;
        // warm-up of both paths until the JIT is quiet (the broker's copy path was seen to speed up by half after
        // a few transfers): at least 4 of each, then until a pair of transfers compiles nothing for a second
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long warmStart = System.nanoTime();
        for (int i = 0; ; i++) {
            long compiled = jit.getTotalCompilationTime();
            Downloads.download(directUrl, null, size, null);
            Downloads.download(brokerUrl, token, size, null);
            boolean quiet = jit.getTotalCompilationTime() - compiled < 100;
            if (i >= 3 && quiet || System.nanoTime() - warmStart > 120e9) {
                break;
            }
        }
        // Each round is direct, broker, broker, direct (ABBA): a neighbour's load that grows or fades during the round
        // weighs on both sides alike. A round's figure is its two downloads' bytes over their time.
        List<Double> direct = new ArrayList<>();
        List<Double> viaBroker = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long a = Downloads.nanos(directUrl, null, size);
            long b = Downloads.nanos(brokerUrl, token, size) + Downloads.nanos(brokerUrl, token, size);
            a += Downloads.nanos(directUrl, null, size);
            direct.add(2.0 * size / MB / (a / 1e9));
            viaBroker.add(2.0 * size / MB / (b / 1e9));
            ratios.add((double) a / b);
        }
        line("1. throughput, 256 MB from the Brussels REST source (" + rounds + " rounds, each direct, broker, broker,"
                + " direct; medians)");
        line(String.format(Locale.ROOT, "  direct download (anchor): %7.1f MB/s   rounds %s", Downloads.median(direct),
                Downloads.fmt(direct)));
        line(String.format(Locale.ROOT, "  through the broker      : %7.1f MB/s   rounds %s", Downloads.median(viaBroker),
                Downloads.fmt(viaBroker)));
        line(String.format(Locale.ROOT, "  ratio broker/direct: %.2f, median of the rounds' ratios %.2f %s (goal >= 0.80)",
                Downloads.median(viaBroker) / Downloads.median(direct), Downloads.median(ratios), Downloads.fmt(ratios)));
    }

    // ------------------------------------------------------------------ 2. heap

    void heap(RetrievalFixtures fixtures, String base, String token, long size) throws Exception {
        String localId = "GEN-" + size + "-4";
        String brokerUrl = base + "/api/v1/documents/" + fixtures.declare(RetrievalFixtures.BRU, PATIENT, localId,
                "dischargereport", null);
        String directUrl = base + "/sandbox/hospitals/SANDBOX-BRU/documents/" + localId;
        long step = Math.max(8 * MB, size / 8);
        long directGrowth = growth(directUrl, null, size, step);
        long brokerGrowth = growth(brokerUrl, token, size, step);
        if (report.indexOf("2. live heap") < 0) {
            line("2. live heap growth during one transfer (max live heap after a full GC, every 1/8 of the document,"
                    + " minus before; anchor = the direct download)");
        }
        line(String.format(Locale.ROOT, "  %5d MB: through the broker %6.2f MB, direct (anchor) %6.2f MB, broker's own"
                        + " share %6.2f MB (goal <= 32 MB, the same for 64 MB and 1 GB)",
                size / MB, brokerGrowth / (double) MB, directGrowth / (double) MB,
                (brokerGrowth - directGrowth) / (double) MB));
    }

    long growth(String url, String token, long size, long step) throws Exception {
        long before = liveHeap();
        long[] max = {before};
        Downloads.download(url, token, size,
                new Downloads.Checkpoint(step, () -> max[0] = Math.max(max[0], liveHeap())));
        return max[0] - before;
    }

    long liveHeap() {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
