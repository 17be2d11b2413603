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
 * / broker time (goal >= 0.8). CPU per applied message is this process's CPU (broker, sandbox hubs and load generator
 * alike) divided by N, and beside it where it went (the declaring consumers, the sandbox hub's HTTP threads, the other
 * Java threads, and the JVM's own threads: JIT compilers and GC). Each side is warmed up on its own until the JIT is
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
 * {@code bench.declare.latency.ms} (e.g. 20) adds rounds with the sandbox hub answering after that delay, on both sides,
 * printed apart: not the goal's figure (the goal is the 0-ms hub), but what a real hub's latency makes of it.
 * {@code bench.jfr=true} records execution samples of each measured run to {@code target/bench/declare-*.jfr} (read
 * them with {@link JfrHotFrames}). Not a test: {@code ./mvnw -ntp -Pbench test-compile exec:exec@bench-declare}.
 */
public final class DeclareBenchmark {

    private final int messages = Integer.getInteger("bench.declare.messages", 2000);
    private final int connections = Integer.getInteger("bench.declare.connections", 8);
    private final int rounds = Integer.getInteger("bench.declare.rounds", 2);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int warmupMax = Integer.getInteger("bench.warmup.max", 180);
    /** Hub latency of the extra rounds (0: none): the sandbox hub answers each SOAP call after this many ms. */
    private final int latencyMs = Integer.getInteger("bench.declare.latency.ms", 0);
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
        try (ConfigurableApplicationContext broker = BenchBroker.start(Path.of("target/bench-declare-data"),
                "--record-broker.ingest.processing-ids=P,T",
                // pausing rsb's consumers (ingest-only runs) rolls back the message one was receiving: expected
                "--logging.level.org.apache.camel.component.jms.DefaultJmsMessageListenerContainer=ERROR")) {
            int mllpPort = broker.getEnvironment().getRequiredProperty("record-broker.mllp.port", Integer.class);
            JdbcTemplate jdbc = broker.getBean(JdbcTemplate.class);
            HubDeclarer declarer = broker.getBean(HubDeclarer.class);
            Hospital bru = broker.getBean(Network.class).hospital("SANDBOX-BRU").orElseThrow();
            int consumers = broker.getBean(IngestProperties.class).consumersFor("rsb");
            org.apache.camel.Consumer rsbConsumers = broker.getBean(CamelContext.class)
                    .getRoute(DeclareRoutes.DECLARE_ROUTE_PREFIX + "rsb").getConsumer();
            SandboxFaults hubFaults = broker.getBean(SandboxFaults.class);
            System.out.printf(Locale.ROOT, "declare benchmark: %d MDM^T02 per run, %d MLLP connections, %d consumers"
                    + " (anchor: %d direct calls at a time), %d CPUs%n", messages, connections, consumers, consumers,
                    Runtime.getRuntime().availableProcessors());
            double anchorWarmUp = JitWarmUp.warmUp(secs -> repeatFor(secs,
                    () -> direct(declarer, bru, consumers, WARM_UP_BATCH)), warmup, warmupMax);
            double brokerWarmUp = JitWarmUp.warmUp(secs -> repeatFor(secs,
                    () -> viaBroker(jdbc, mllpPort, WARM_UP_BATCH)), warmup, warmupMax);
            System.out.printf(Locale.ROOT, "warmed up: anchor %.0f s, broker %.0f s%n", anchorWarmUp, brokerWarmUp);
            Rounds zero = rounds(rounds, "0ms", declarer, bru, consumers, jdbc, mllpPort);
            String zeroLoad = loadAverage();
            Rounds slow = null;
            String slowLoad = null;
            if (latencyMs > 0) {
                hubFaults.set("rsb", new SandboxFaults.Faults(latencyMs, 0.0, false));
                try {
                    slow = rounds(1, latencyMs + "ms", declarer, bru, consumers, jdbc, mllpPort);
                    slowLoad = loadAverage();
                } finally {
                    hubFaults.set("rsb", SandboxFaults.Faults.NONE);
                }
            }
            // last: pausing rsb's consumers leaves the patients' groups bound unevenly to them (one consumer then did
            // half the work and more), which would slow every broker run after it
            if (withIngestOnly) {
                for (int r = 0; r < rounds; r++) {
                    int round = r;
                    add(zero.sums[2], recorded("ingest-" + round,
                            () -> ingestOnly(jdbc, mllpPort, rsbConsumers, messages)));
                }
            }
            String block = String.format(Locale.ROOT, "declarations applied (%d MDM^T02 to hub rsb at 0 ms, %d rounds;"
                    + " warm-ups %.0f s / %.0f s; load average %s)%n", messages, rounds, anchorWarmUp, brokerWarmUp,
                    zeroLoad) + report(zero, consumers, true);
            if (slow != null) {
                block += String.format(Locale.ROOT, "%nNOT the goal's figure: the sandbox hub answering each call"
                        + " after %d ms, on both sides (1 round; load average %s)%n", latencyMs, slowLoad)
                        + report(slow, consumers, false);
            }
            System.out.print("\n" + block);
            Files.writeString(OUT.resolve("declare.txt"), block);
        }
    }

    /**
     * Sums over rounds: {anchor, broker, broker ingest only (filled by the ingest-only runs), {rounds}}, and the
     * broker's threads' CPU µs by name ({@link #otherThreads}).
     */
    private record Rounds(double[][] sums, Map<String, Double> brokerThreads) {
    }

    /** {@code count} rounds of anchor and broker; rounds alternate who goes first. */
    private Rounds rounds(int count, String label, HubDeclarer declarer, Hospital bru, int consumers,
                          JdbcTemplate jdbc, int mllpPort) throws Exception {
        double[][] sums = {new double[CPU_PARTS + 2], new double[CPU_PARTS + 2], new double[CPU_PARTS + 2],
                {count}};
        Map<String, Double> brokerThreads = new HashMap<>();
        for (int r = 0; r < count; r++) {
            boolean anchorFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++) {
                if ((k == 0) == anchorFirst) {
                    add(sums[0], recorded("anchor-" + label + "-" + r,
                            () -> direct(declarer, bru, consumers, messages)));
                } else {
                    otherThreads = brokerThreads;
                    try {
                        add(sums[1], recorded("broker-" + label + "-" + r, () -> viaBroker(jdbc, mllpPort, messages)));
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
    private String report(Rounds result, int consumers, boolean ceiling) {
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
        double ingestCpu = ingest[1] / n;
        String text = String.format(Locale.ROOT, """
                  anchor  direct DeclareTransaction x %d at a time:  %.2f s  (%.0f declared/s)  cpu %.0f µs/msg
                  broker  MLLP AA -> rsb's queue -> declared:        %.2f s  (%.0f declared/s)  cpu %.0f µs/msg
                  ratio   anchor time / broker time:                 %.2f%s
                  ingest  the same N, rsb's consumers paused (AA only): %.2f s  (%.0f acked/s)  cpu %.0f µs/msg
                  (cpu: this whole process, sandbox hub and load generator included; %d CPUs, machine shared)
                  cpu µs/msg by thread   consumers   hub HTTP   other Java   JVM (JIT, GC)
                    anchor               %9.0f  %9.0f  %11.0f  %14.0f
                    broker               %9.0f  %9.0f  %11.0f  %14.0f
                    ingest only          %9.0f  %9.0f  %11.0f  %14.0f
                """, consumers, anchorSeconds, messages / anchorSeconds, anchorCpu,
                brokerSeconds, messages / brokerSeconds, brokerCpu, anchorSeconds / brokerSeconds,
                ceiling ? "  (goal >= 0.8)" : "  (hub latency: not the goal's figure)",
                ingestSeconds, messages / ingestSeconds, ingestCpu,
                Runtime.getRuntime().availableProcessors(),
                anchor[2] / n, anchor[3] / n, anchor[4] / n, anchor[5] / n,
                brokerSide[2] / n, brokerSide[3] / n, brokerSide[4] / n, brokerSide[5] / n,
                ingest[2] / n, ingest[3] / n, ingest[4] / n, ingest[5] / n);
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
                  what decides it (hub at 0 ms: both sides CPU-bound, so time ratio ~ CPU ratio)
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
        double[] result = measured(seconds, cpu0, threads0);
        pool.shutdown();
        return result;
    }

    /** {seconds, cpu µs, cpu parts...} from the first send of N MDM^T02 until the applied ledger has all of them. */
    private double[] viaBroker(JdbcTemplate jdbc, int port, int n) throws Exception {
        long applied0 = applied(jdbc);
        long cpu0 = cpuNanos();
        Map<Long, Long> threads0 = threadCpuNanos();
        long t0 = System.nanoTime();
        ExecutorService pool = send(port, n);
        awaitApplied(jdbc, applied0 + n);
        double[] result = measured((System.nanoTime() - t0) / 1e9, cpu0, threads0);
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
            Map<Long, Long> threads0 = threadCpuNanos();
            long t0 = System.nanoTime();
            ExecutorService pool = send(port, n);
            result = measured((System.nanoTime() - t0) / 1e9, cpu0, threads0);
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

    /** Parts of the CPU: declaring consumers, the sandbox hub's HTTP threads, other Java threads, the JVM's own. */
    private static final int CPU_PARTS = 4;

    /**
     * While set (the broker's measured runs): the CPU µs of each declaring consumer thread, and of the "other Java"
     * threads by name (digits as #).
     */
    private static Map<String, Double> otherThreads;

    private static double[] measured(double seconds, long cpu0, Map<Long, Long> threads0) {
        long process = cpuNanos() - cpu0;
        double[] result = new double[CPU_PARTS + 2];
        result[0] = seconds;
        result[1] = process / 1e3;
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
