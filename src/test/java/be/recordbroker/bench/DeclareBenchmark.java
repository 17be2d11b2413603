package be.recordbroker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import jdk.jfr.Recording;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.Ssin;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.kmehr.HubDeclarer;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;
import be.recordbroker.routes.DeclareRoutes;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * Declarations applied (issue 13): N MDM^T02 for SANDBOX-BRU (hub rsb) are sent over {@code bench.declare.connections}
 * MLLP connections, each waiting for its AA; the figure is the time from the first send until the last one is applied
 * at the sandbox hub (the applied ledger has all N). The anchor: the same N DeclareTransaction calls made directly with
 * the broker's own hub client ({@link HubDeclarer}) at the concurrency of rsb's declaring consumers. Ratio = anchor time
 * / broker time (goal >= 0.8). CPU per applied message is this process's CPU (broker and load generator; the sandbox
 * hubs too when in-process) plus the hubs' JVM's, divided by N, and beside it where it went (the declaring consumers,
 * the sandbox hub's HTTP threads, the other Java threads, the JVM's own threads: JIT compilers and GC, the hubs' JVM). Each side is warmed up on its own until the JIT is
 * quiet ({@link JitWarmUp}): the broker's path (MLLP, Artemis, HAPI, H2, CXF) has far more code to compile than the
 * direct calls, and a run taken while C2 still compiles it charges the compiler to the broker. Rounds alternate anchor
 * and broker.
 *
 * <p>What decides the ratio, measured in the same run: with the hub at 0 ms both sides are CPU-bound on the machine's
 * cores, so the ratio is close to a CPU ratio; and the broker's time also covers receiving the N messages over MLLP
 * (checks, durable enqueue, ACK), which the anchor does not do. So the run also sends N with rsb's declaring
 * consumers paused (ingest only), once per round after every broker run (a pause leaves the patients' groups bound
 * unevenly to the consumers), and prints the ceiling this imposes: a broker whose applying cost nothing beyond the hub
 * call would use ingest + anchor CPU per message, and reach at best anchor / (ingest + anchor).
 *
 * <p>Where the hubs run: by default ({@code bench.declare.hubs=jvm}) the sandbox network runs in a JVM of its own
 * ({@link SandboxHubsJvm}), as in the search benchmark, so the hub's own work is measured apart from the broker's and
 * the load generator's; {@code bench.declare.hubs=inprocess} keeps them in the broker's process (the earlier shape).
 * The rounds run at each hub latency of {@code bench.declare.latencies} (ms, default {@code 0,20,50}; the search
 * benchmark's hubs answer after 50 ms), on both sides alike: at 0 ms both sides are CPU-bound and the ratio is a CPU
 * ratio, bounded by the ceiling above; with a hub latency the declaring concurrency decides, as with a real hub. Each
 * latency's ratio is printed against the goal. At a latency of L ms a run declares
 * {@code min(N, 8 s x consumers / L)} messages (at least 200), so that a run lasts about 8 s.
 * {@code bench.jfr=true} records execution samples of each measured run to {@code target/bench/declare-*.jfr} (read
 * them with {@link JfrHotFrames}). Not a test: {@code ./mvnw -ntp -Pbench test-compile exec:exec@bench-declare}.
 */
public final class DeclareBenchmark {

    private final int messages = Integer.getInteger("bench.declare.messages", 2000);
    private final int connections = Integer.getInteger("bench.declare.connections", 8);
    private final int rounds = Integer.getInteger("bench.declare.rounds", 2);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int warmupMax = Integer.getInteger("bench.warmup.max", 180);
    /** The hub latencies (ms) of the measured rounds, both sides alike: the sandbox hub answers each call after it. */
    private final List<Integer> latencies = java.util.Arrays.stream(
            System.getProperty("bench.declare.latencies", "0,20,50").split(",")).map(String::strip)
            .filter(l -> !l.isEmpty()).map(Integer::valueOf).toList();
    /** true: the sandbox hubs in a JVM of their own (default); false ({@code inprocess}): in the broker's process. */
    private final boolean hubsInJvm = !"inprocess".equals(System.getProperty("bench.declare.hubs", "jvm"));
    private final List<String> hubsJvmOptions = List.of(System.getProperty("bench.declare.hubs.jvmArgs",
            "-Xms512m -Xmx1g").strip().split("\\s+"));
    private final boolean jfr = Boolean.getBoolean("bench.jfr");
    /** false: no ingest-only runs (they pause rsb's consumers, as HubBackoff does; the ceiling is then not printed). */
    private final boolean withIngestOnly = !"false".equals(System.getProperty("bench.declare.ingest"));
    private static final Path OUT = Path.of("target/bench");
    /** Messages per step of a warm-up: small enough that a step ends close to its time. */
    private static final int WARM_UP_BATCH = 200;
    private final AtomicInteger sequence = new AtomicInteger();
    /** A small PDF-looking content (an MDM^T02 needs its OBX): stripped and fingerprinted by the broker. */
    private static final String PDF_BASE64 = java.util.Base64.getEncoder().encodeToString(
            ("%PDF-1.4\n" + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));

    public static void main(String[] args) throws Exception {
        int exit = 0;
        try {
            new DeclareBenchmark().run();
        } catch (Throwable t) {
            t.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Files.createDirectories(OUT);
        if (jfr) {
            JfrHotFrames.startIdleRecorder();
        }
        List<String> brokerArgs = new ArrayList<>(List.of("--record-broker.ingest.processing-ids=P,T",
                // pausing rsb's consumers (ingest-only runs) rolls back the message one was receiving: expected
                "--logging.level.org.apache.camel.component.jms.DefaultJmsMessageListenerContainer=ERROR"));
        hubsJvm = hubsInJvm ? SandboxHubsJvm.start(Path.of("target/bench-declare-hubs-data"), hubsJvmOptions,
                OUT.resolve("declare-hubs-jvm.log")) : null;
        try {
            if (hubsJvm != null) {
                brokerArgs.addAll(hubsJvm.brokerArguments(Path.of("config/network.yaml"),
                        Path.of("target/bench-declare-config")));
            }
            try (ConfigurableApplicationContext broker = BenchBroker.start(Path.of("target/bench-declare-data"),
                    brokerArgs.toArray(String[]::new))) {
                if (hubsJvm != null) {
                    hubsJvm.awaitAnswering();
                }
                measure(broker);
            }
        } finally {
            if (hubsJvm != null) {
                hubsJvm.close();
            }
        }
    }

    private void measure(ConfigurableApplicationContext broker) throws Exception {
        int mllpPort = broker.getEnvironment().getRequiredProperty("record-broker.mllp.port", Integer.class);
        JdbcTemplate jdbc = broker.getBean(JdbcTemplate.class);
        HubDeclarer declarer = broker.getBean(HubDeclarer.class);
        Hospital bru = broker.getBean(Network.class).hospital("SANDBOX-BRU").orElseThrow();
        int consumers = broker.getBean(IngestProperties.class).consumersFor("rsb");
        org.apache.camel.Consumer rsbConsumers = broker.getBean(CamelContext.class)
                .getRoute(DeclareRoutes.DECLARE_ROUTE_PREFIX + "rsb").getConsumer();
        SandboxFaults hubFaults = hubsJvm == null ? broker.getBean(SandboxFaults.class) : null;
        String where = hubsJvm == null ? "in the broker's process"
                : "in a JVM of their own (pid " + hubsJvm.pid() + ", " + String.join(" ", hubsJvmOptions) + ")";
        System.out.printf(Locale.ROOT, "declare benchmark: %d MDM^T02 per run at 0 ms, %d MLLP connections, %d consumers"
                + " (anchor: %d direct calls at a time), %d CPUs; sandbox hubs %s; hub latencies %s ms%n", messages,
                connections, consumers, consumers, Runtime.getRuntime().availableProcessors(), where, latencies);
        hubLatency(hubFaults, 0);
        double anchorWarmUp = JitWarmUp.warmUp(secs -> repeatFor(secs,
                () -> direct(declarer, bru, consumers, WARM_UP_BATCH)), warmup, warmupMax);
        double brokerWarmUp = JitWarmUp.warmUp(secs -> repeatFor(secs,
                () -> viaBroker(jdbc, mllpPort, WARM_UP_BATCH)), warmup, warmupMax);
        System.out.printf(Locale.ROOT, "warmed up: anchor %.0f s, broker %.0f s%n", anchorWarmUp, brokerWarmUp);
        Map<Integer, Rounds> byLatency = new java.util.LinkedHashMap<>();
        Map<Integer, String> loads = new HashMap<>();
        for (int latency : latencies) {
            hubLatency(hubFaults, latency);
            try {
                byLatency.put(latency, rounds(rounds, latency + "ms", declarer, bru, consumers, jdbc, mllpPort,
                        messagesAt(latency, consumers)));
                loads.put(latency, loadAverage());
            } finally {
                hubLatency(hubFaults, 0);
            }
        }
        // last: pausing rsb's consumers leaves the patients' groups bound unevenly to them (one consumer then did
        // half the work and more), which would slow every broker run after it
        Rounds zero = byLatency.get(0);
        if (withIngestOnly && zero != null) {
            for (int r = 0; r < rounds; r++) {
                int round = r;
                add(zero.sums[2], recorded("ingest-" + round,
                        () -> ingestOnly(jdbc, mllpPort, rsbConsumers, messages)));
            }
        }
        StringBuilder block = new StringBuilder(String.format(Locale.ROOT, "declarations applied (MDM^T02 to hub rsb,"
                + " sandbox hubs %s; %d rounds per hub latency; warm-ups %.0f s / %.0f s)%n", where, rounds,
                anchorWarmUp, brokerWarmUp));
        for (Map.Entry<Integer, Rounds> entry : byLatency.entrySet()) {
            int latency = entry.getKey();
            block.append(String.format(Locale.ROOT, "%nhub latency %d ms: %d messages per run (load average %s)%n",
                    latency, messagesAt(latency, consumers), loads.get(latency)));
            block.append(report(entry.getValue(), consumers, messagesAt(latency, consumers), latency == 0));
        }
        block.append(String.format(Locale.ROOT, "%nratio by hub latency (goal >= 0.8): %s%n",
                byLatency.entrySet().stream().map(e -> String.format(Locale.ROOT, "%d ms %.2f", e.getKey(),
                        ratio(e.getValue()))).collect(java.util.stream.Collectors.joining(", "))));
        System.out.print("\n" + block);
        Files.writeString(OUT.resolve("declare.txt"), block);
    }

    /** The sandbox hub rsb (and, in the hubs' JVM, the other two) answers each call after {@code latencyMs}. */
    private void hubLatency(SandboxFaults inProcess, int latencyMs) throws Exception {
        if (hubsJvm != null) {
            hubsJvm.hubLatency(latencyMs);
        } else {
            inProcess.set("rsb", latencyMs == 0 ? SandboxFaults.Faults.NONE
                    : new SandboxFaults.Faults(latencyMs, 0.0, false));
        }
    }

    /** Messages per run at a hub latency: all N at 0 ms, else as many as the consumers declare in about 8 s. */
    private int messagesAt(int latencyMs, int consumers) {
        return latencyMs == 0 ? messages : Math.min(messages, Math.max(200, 8_000 * consumers / latencyMs));
    }

    private static double ratio(Rounds rounds) {
        return rounds.sums()[0][0] / rounds.sums()[1][0];
    }

    /**
     * Sums over rounds: {anchor, broker, broker ingest only (filled by the ingest-only runs), {rounds}}, and the
     * broker's threads' CPU µs by name ({@link #otherThreads}).
     */
    private record Rounds(double[][] sums, Map<String, Double> brokerThreads) {
    }

    /** {@code count} rounds of anchor and broker; rounds alternate who goes first. */
    private Rounds rounds(int count, String label, HubDeclarer declarer, Hospital bru, int consumers,
                          JdbcTemplate jdbc, int mllpPort, int n) throws Exception {
        double[][] sums = {new double[CPU_PARTS + 2], new double[CPU_PARTS + 2], new double[CPU_PARTS + 2],
                {count}};
        Map<String, Double> brokerThreads = new HashMap<>();
        for (int r = 0; r < count; r++) {
            boolean anchorFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++) {
                if ((k == 0) == anchorFirst) {
                    add(sums[0], recorded("anchor-" + label + "-" + r,
                            () -> direct(declarer, bru, consumers, n)));
                } else {
                    otherThreads = brokerThreads;
                    try {
                        add(sums[1], recorded("broker-" + label + "-" + r, () -> viaBroker(jdbc, mllpPort, n)));
                    } finally {
                        otherThreads = null;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%s round %d/%d done%n", label, r + 1, count);
        }
        return new Rounds(sums, brokerThreads);
    }

    /** The figures of {@link #rounds}: times, CPU per message and its parts, the ratio and what bounds it. */
    private String report(Rounds result, int consumers, int messages, boolean ceiling) {
        double[][] sums = result.sums();
        Map<String, Double> brokerOthers = result.brokerThreads();
        boolean withIngest = ceiling && withIngestOnly;
        double n = sums[3][0] * messages;
        double[] anchor = sums[0];
        double[] brokerSide = sums[1];
        double[] ingest = sums[2];
        double anchorSeconds = anchor[0] / sums[3][0];
        double brokerSeconds = brokerSide[0] / sums[3][0];
        double ingestSeconds = ingest[0] / sums[3][0];
        double anchorCpu = anchor[1] / n;
        double brokerCpu = brokerSide[1] / n;
        double ingestN = sums[3][0] * this.messages;
        double ingestCpu = ingest[1] / ingestN;
        String text = String.format(Locale.ROOT, """
                  anchor  direct DeclareTransaction x %d at a time:  %.2f s  (%.0f declared/s)  cpu %.0f µs/msg
                  broker  MLLP AA -> rsb's queue -> declared:        %.2f s  (%.0f declared/s)  cpu %.0f µs/msg
                  ratio   anchor time / broker time:                 %.2f%s
                  ingest  %d, rsb's consumers paused (AA only):     %.2f s  (%.0f acked/s)  cpu %.0f µs/msg
                  (cpu: this process (broker and load generator; the sandbox hubs too when in-process) and the hubs'
                  JVM when they have one; %d CPUs, machine shared)
                  cpu µs/msg by thread   consumers   hub HTTP   other Java   JVM (JIT, GC)   hubs' JVM
                    anchor               %9.0f  %9.0f  %11.0f  %14.0f  %10.0f
                    broker               %9.0f  %9.0f  %11.0f  %14.0f  %10.0f
                    ingest only          %9.0f  %9.0f  %11.0f  %14.0f  %10.0f
                """, consumers, anchorSeconds, messages / anchorSeconds, anchorCpu,
                brokerSeconds, messages / brokerSeconds, brokerCpu, anchorSeconds / brokerSeconds,
                anchorSeconds / brokerSeconds >= 0.8 ? "  (goal >= 0.8: met)" : "  (goal >= 0.8: missed)",
                this.messages, ingestSeconds, this.messages / ingestSeconds, ingestCpu,
                Runtime.getRuntime().availableProcessors(),
                anchor[2] / n, anchor[3] / n, anchor[4] / n, anchor[5] / n, anchor[6] / n,
                brokerSide[2] / n, brokerSide[3] / n, brokerSide[4] / n, brokerSide[5] / n, brokerSide[6] / n,
                ingest[2] / ingestN, ingest[3] / ingestN, ingest[4] / ingestN, ingest[5] / ingestN,
                ingest[6] / ingestN);
        if (!withIngest) {
            text = text.lines().filter(l -> !l.startsWith("  ingest ") && !l.startsWith("    ingest only"))
                    .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        }
        double consumersCpu = brokerSide[2];
        text += "    broker's consumers, each one's share of their cpu (one patient's messages go to one): "
                + brokerOthers.entrySet().stream().filter(e -> e.getKey().contains("JmsConsumer["))
                .filter(e -> e.getValue() > 0.01 * consumersCpu)
                .map(e -> String.format(Locale.ROOT, "%.0f%%", 100 * e.getValue() / consumersCpu)).sorted()
                .collect(java.util.stream.Collectors.joining(" ")) + "\n";
        text += "    broker's other Java, top: " + brokerOthers.entrySet().stream()
                .filter(e -> !e.getKey().contains("JmsConsumer["))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue() / n))
                .collect(java.util.stream.Collectors.joining(", ")) + "\n";
        if (withIngest) {
            text += String.format(Locale.ROOT, """
                  what decides it (hub at 0 ms: both sides CPU-bound, so time ratio ~ CPU ratio; cpu of both JVMs)
                    cpu ratio  anchor cpu / broker cpu:                        %.2f
                    applying   broker cpu - ingest cpu:  %.0f µs/msg  (anchor's whole call: %.0f; beyond it: %.0f)
                    ceiling    anchor / (ingest + anchor) cpu: a broker whose applying cost only the hub call: %.2f
                """, anchorCpu / brokerCpu, brokerCpu - ingestCpu, anchorCpu, brokerCpu - ingestCpu - anchorCpu,
                    anchorCpu / (ingestCpu + anchorCpu));
        }
        return text;
    }

    /** {@code run}, recorded to {@code target/bench/declare-<name>.jfr} when {@code bench.jfr} is set. */
    private double[] recorded(String name, Run run) throws Exception {
        if (!jfr) {
            return run.run();
        }
        try (Recording recording = new Recording()) {
            // execution samples only: the "profile" settings cost half the rate
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
            recording.start();
            double[] result = run.run();
            recording.stop();
            recording.dump(OUT.resolve("declare-" + name + ".jfr"));
            return result;
        }
    }

    private static void add(double[] sum, double[] one) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += one[i];
        }
    }

    /** One measured run: {seconds, cpu µs, then the cpu µs of each {@link #CPU_PARTS} part}. */
    private interface Run {
        double[] run() throws Exception;
    }

    /** Runs {@code run} again and again for at least {@code seconds}. */
    private static void repeatFor(int seconds, Run run) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        do {
            run.run();
        } while (System.nanoTime() < end);
    }

    /** {seconds, cpu µs, cpu parts...} of N direct DeclareTransaction calls, {@code concurrency} at a time. */
    private double[] direct(HubDeclarer declarer, Hospital bru, int concurrency, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        long cpu0 = cpuNanos();
        long hubsCpu0 = hubsCpuNanos();
        Map<Long, Long> threads0 = threadCpuNanos();
        long t0 = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            runs.add(pool.submit(() -> {
                while (next.getAndIncrement() < n) {
                    int s = sequence.incrementAndGet();
                    declarer.declare("rsb", new DocumentDeclaration(bru.facilityId(), bru.nihii().value(), bru.name(),
                            Ssin.parse(ssin(s)), "DIRECT-" + s, "contactreport", "Consultation report",
                            OffsetDateTime.now(), new DocumentDeclaration.AuthorRef("12345625004", "Verstraeten", "An"),
                            new DocumentDeclaration.ContentFingerprint("0".repeat(64), 1100, "application/pdf"),
                            bru.source().endpoint().url()));
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] result = measured(seconds, cpu0, hubsCpu0, threads0);
        pool.shutdown();
        return result;
    }

    /** {seconds, cpu µs, cpu parts...} from the first send of N MDM^T02 until the applied ledger has all of them. */
    private double[] viaBroker(JdbcTemplate jdbc, int port, int n) throws Exception {
        long applied0 = applied(jdbc);
        long cpu0 = cpuNanos();
        long hubsCpu0 = hubsCpuNanos();
        Map<Long, Long> threads0 = threadCpuNanos();
        long t0 = System.nanoTime();
        ExecutorService pool = send(port, n);
        awaitApplied(jdbc, applied0 + n);
        double[] result = measured((System.nanoTime() - t0) / 1e9, cpu0, hubsCpu0, threads0);
        pool.shutdown(); // after: a thread that has ended no longer tells its CPU time
        return result;
    }

    /**
     * {seconds, cpu µs, cpu parts...} of sending N MDM^T02 until the last AA, with rsb's declaring consumers paused
     * (as the broker pauses them when the hub fails): what receiving them costs; then drained, not measured.
     */
    private double[] ingestOnly(JdbcTemplate jdbc, int port, org.apache.camel.Consumer rsbConsumers, int n)
            throws Exception {
        long applied0 = applied(jdbc);
        ServiceHelper.suspendService(rsbConsumers);
        double[] result;
        try {
            long cpu0 = cpuNanos();
            long hubsCpu0 = hubsCpuNanos();
            Map<Long, Long> threads0 = threadCpuNanos();
            long t0 = System.nanoTime();
            ExecutorService pool = send(port, n);
            result = measured((System.nanoTime() - t0) / 1e9, cpu0, hubsCpu0, threads0);
            pool.shutdown();
        } finally {
            ServiceHelper.resumeService(rsbConsumers);
        }
        awaitApplied(jdbc, applied0 + n);
        return result;
    }

    /** Sends N MDM^T02 over the connections, each waiting for its AA; returns once all are acknowledged. */
    private ExecutorService send(int port, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            runs.add(pool.submit(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(30_000);
                    MinLLPWriter writer = new MinLLPWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1);
                    MinLLPReader reader = new MinLLPReader(socket.getInputStream(), StandardCharsets.ISO_8859_1);
                    while (next.getAndIncrement() < n) {
                        int s = sequence.incrementAndGet();
                        writer.writeMessage(mdm(s));
                        String ack = reader.getMessage();
                        if (ack == null || !ack.contains("MSA|AA")) {
                            throw new IOException("not an AA: " + ack);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        return pool;
    }

    private static void awaitApplied(JdbcTemplate jdbc, long target) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (applied(jdbc) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + applied(jdbc) + " of " + target + " applied");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Parts of the CPU: declaring consumers, the sandbox hub's HTTP threads (in this process), other Java threads, the
     * JVM's own, the sandbox hubs' JVM (when they have one).
     */
    private static final int CPU_PARTS = 5;

    /** The sandbox hubs' JVM, or null when they run in this process. */
    private static SandboxHubsJvm hubsJvm;

    /**
     * While set (the broker's measured runs): the CPU µs of each declaring consumer thread, and of the "other Java"
     * threads by name (digits as #).
     */
    private static Map<String, Double> otherThreads;

    private static double[] measured(double seconds, long cpu0, long hubsCpu0, Map<Long, Long> threads0) {
        long process = cpuNanos() - cpu0;
        long hubs = hubsCpuNanos() - hubsCpu0;
        double[] result = new double[CPU_PARTS + 2];
        result[0] = seconds;
        result[1] = (process + hubs) / 1e3;
        result[6] = hubs / 1e3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long javaThreads = 0;
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long now = mx.getThreadCpuTime(info.getThreadId());
            if (now < 0) {
                continue;
            }
            long used = now - threads0.getOrDefault(info.getThreadId(), 0L);
            javaThreads += used;
            String name = info.getThreadName();
            int part = name.contains("JmsConsumer[") ? 2 : name.startsWith("http-nio-") ? 3 : 4;
            result[part] += used / 1e3;
            if (otherThreads != null && part == 4) {
                otherThreads.merge(name.replaceAll("[0-9]+", "#"), used / 1e3, Double::sum);
            } else if (otherThreads != null && part == 2) {
                otherThreads.merge(name, used / 1e3, Double::sum); // each consumer: one patient group is one's
            }
        }
        // what no live Java thread used: the JIT compilers, the GC, the VM (and any thread that ended meanwhile)
        result[5] = Math.max(0, process - javaThreads) / 1e3;
        return result;
    }

    private static Map<Long, Long> threadCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long nanos = mx.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", load);
    }

    private static long applied(JdbcTemplate jdbc) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM hl7_applied", Long.class);
        return count == null ? 0 : count;
    }

    private static long hubsCpuNanos() {
        return hubsJvm == null ? 0 : hubsJvm.cpuNanos();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String mdm(int s) {
        String ts = "20261122101500";
        return "MSH|^~\\&|BENCH|SANDBOX-BRU|RECORD-BROKER|RECORD-BROKER|" + ts + "||MDM^T02^MDM_T02|DB" + s
                + "-" + System.nanoTime() + "|P|2.5|||||||8859/1\r"
                + "EVN|T02|" + ts + "\r"
                + "PID|1||" + ssin(s) + "^^^BE-NN^NN||Bench^Patient||19800101|F\r"
                + "PV1|1|O\r"
                + "TXA|1|contactreport^Consultation report|AP|" + ts + "|12345625004^Verstraeten^An|" + ts
                + "||||||BRU-DB-" + s + "-" + System.nanoTime() + "||||AU||AV\r"
                + "OBX|1|ED|contactreport^Consultation report^L||SANDBOX^AP^PDF^Base64^" + PDF_BASE64 + "||||||F\r";
    }

    /** A valid SSIN per sequence number (a few hundred patients, like the ingest benchmark). */
    private static String ssin(int s) {
        int n = s % 300;
        String first9 = String.format(Locale.ROOT, "%02d%02d%02d%03d", 60 + n % 40, 1 + n % 12, 1 + n % 28, 1 + n);
        return first9 + String.format(Locale.ROOT, "%02d", 97 - Long.parseLong(first9) % 97);
    }
}
