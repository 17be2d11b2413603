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

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.Ssin;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.kmehr.HubDeclarer;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;

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
 * and broker. Not a test: {@code ./mvnw -ntp -Pbench test-compile exec:exec@bench-declare}.
 */
public final class DeclareBenchmark {

    private final int messages = Integer.getInteger("bench.declare.messages", 2000);
    private final int connections = Integer.getInteger("bench.declare.connections", 8);
    private final int rounds = Integer.getInteger("bench.declare.rounds", 2);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int warmupMax = Integer.getInteger("bench.warmup.max", 180);
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
        try (ConfigurableApplicationContext broker = BenchBroker.start(Path.of("target/bench-declare-data"),
                "--record-broker.ingest.processing-ids=P,T")) {
            int mllpPort = broker.getEnvironment().getRequiredProperty("record-broker.mllp.port", Integer.class);
            JdbcTemplate jdbc = broker.getBean(JdbcTemplate.class);
            HubDeclarer declarer = broker.getBean(HubDeclarer.class);
            Hospital bru = broker.getBean(Network.class).hospital("SANDBOX-BRU").orElseThrow();
            int consumers = broker.getBean(IngestProperties.class).consumersFor("rsb");
            System.out.printf(Locale.ROOT, "declare benchmark: %d MDM^T02 per run, %d MLLP connections, %d consumers"
                    + " (anchor: %d direct calls at a time), %d CPUs%n", messages, connections, consumers, consumers,
                    Runtime.getRuntime().availableProcessors());
            double anchorWarmUp = JitWarmUp.warmUp(secs -> repeatFor(secs,
                    () -> direct(declarer, bru, consumers, WARM_UP_BATCH)), warmup, warmupMax);
            double brokerWarmUp = JitWarmUp.warmUp(secs -> repeatFor(secs,
                    () -> viaBroker(jdbc, mllpPort, WARM_UP_BATCH)), warmup, warmupMax);
            System.out.printf(Locale.ROOT, "warmed up: anchor %.0f s, broker %.0f s%n", anchorWarmUp, brokerWarmUp);
            double[] anchor = new double[CPU_PARTS + 2];
            double[] brokerSide = new double[CPU_PARTS + 2];
            for (int r = 0; r < rounds; r++) {
                boolean anchorFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == anchorFirst) {
                        add(anchor, direct(declarer, bru, consumers, messages));
                    } else {
                        add(brokerSide, viaBroker(jdbc, mllpPort, messages));
                    }
                }
                System.out.printf(Locale.ROOT, "round %d/%d done%n", r + 1, rounds);
            }
            double anchorSeconds = anchor[0] / rounds;
            double brokerSeconds = brokerSide[0] / rounds;
            String block = String.format(Locale.ROOT, """
                    declarations applied (%d MDM^T02 to hub rsb, %d rounds)
                      anchor  direct DeclareTransaction x %d at a time:  %.2f s  (%.0f declared/s)  cpu %.0f µs/msg
                      broker  MLLP AA -> rsb's queue -> declared:        %.2f s  (%.0f declared/s)  cpu %.0f µs/msg
                      ratio   anchor time / broker time:                 %.2f  (goal >= 0.8)
                      (cpu: this whole process, sandbox hub and load generator included; %d CPUs, machine shared;
                       warm-ups %.0f s / %.0f s; load average %s)
                      cpu µs/msg by thread   consumers   hub HTTP   other Java   JVM (JIT, GC)
                        anchor               %9.0f  %9.0f  %11.0f  %14.0f
                        broker               %9.0f  %9.0f  %11.0f  %14.0f
                    """, messages, rounds, consumers, anchorSeconds, messages / anchorSeconds,
                    anchor[1] / rounds / messages, brokerSeconds, messages / brokerSeconds,
                    brokerSide[1] / rounds / messages, anchorSeconds / brokerSeconds,
                    Runtime.getRuntime().availableProcessors(), anchorWarmUp, brokerWarmUp, loadAverage(),
                    anchor[2] / rounds / messages, anchor[3] / rounds / messages, anchor[4] / rounds / messages,
                    anchor[5] / rounds / messages, brokerSide[2] / rounds / messages,
                    brokerSide[3] / rounds / messages, brokerSide[4] / rounds / messages,
                    brokerSide[5] / rounds / messages);
            System.out.print("\n" + block);
            Files.createDirectories(Path.of("target/bench"));
            Files.writeString(Path.of("target/bench/declare.txt"), block);
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
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        AtomicInteger next = new AtomicInteger();
        long cpu0 = cpuNanos();
        Map<Long, Long> threads0 = threadCpuNanos();
        long t0 = System.nanoTime();
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
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (applied(jdbc) - applied0 < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (applied(jdbc) - applied0) + " of " + n + " applied");
            }
            Thread.sleep(5);
        }
        double[] result = measured((System.nanoTime() - t0) / 1e9, cpu0, threads0);
        pool.shutdown(); // after: a thread that has ended no longer tells its CPU time
        return result;
    }

    /** Parts of the CPU: declaring consumers, the sandbox hub's HTTP threads, other Java threads, the JVM's own. */
    private static final int CPU_PARTS = 4;

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
