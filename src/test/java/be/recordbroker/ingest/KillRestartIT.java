package be.recordbroker.ingest;

import be.recordbroker.TestMllp;
import be.recordbroker.BrokerJvm;
import be.recordbroker.TestIo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;


/**
 * The kill test: the broker runs as its own JVM; {@code killtest.messages} (default 10,000) MDM^T02 messages are sent
 * over MLLP by {@code killtest.senders} (default 4) threads while the broker is killed with SIGKILL after 20 % and
 * after 60 % of them were acknowledged (the second time with the queue surely holding acknowledged, not yet applied
 * messages) and restarted each time on the same ports and data directory ({@code killtest.plan}). The senders resend
 * whatever was not answered AA until it is. In the end every message has exactly one hl7_accepted and one hl7_applied
 * row in the broker's H2 ledger (read by this JVM once the broker has stopped) and every document was declared at the
 * hub: the sandbox hub, and its in-memory world, die with the broker, so it is observed through its declaration log
 * ({@code record-broker.sandbox.declaration-log}), which survives the kills. A document declared twice because the
 * broker died between the hub's answer and its ledger commit is counted and reported, not failed: declaring is
 * at-least-once at the hub, which keeps one document per LOCAL id.
 *
 * <p>Takes about 2 minutes with the defaults on an otherwise idle 2-core machine (3 broker start-ups of 10-25 s; the
 * broker, CPU-bound, applies ~100 messages a second there), up to 5 minutes when the machine is busy. Smaller:
 * {@code ./mvnw verify -Dit.test=KillRestartIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dkilltest.messages=2000} (under a minute of test time). Output in
 * {@code target/kill-test/}: {@code summary.txt}, one log per broker process, the declaration log, and a copy of the
 * database as each stop left it.
 */
class KillRestartIT {

    private static final int MESSAGES = Integer.getInteger("killtest.messages", 10_000);
    private static final int SENDERS = Integer.getInteger("killtest.senders", 4);
    private static final int PATIENTS = 300;
    /** Each sender sends one message it already had AA for again every this many AAs: a deliberate duplicate. */
    private static final int DUPLICATE_EVERY = 500;
    private static final String FACILITY = "SANDBOX-BRU";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(300);

    private static final Path BASE = Path.of("").toAbsolutePath();
    private static final Path OUT = BASE.resolve("target/kill-test");
    private static final Path DATA = BASE.resolve("target/kill-data");
    private static final Path DECLARATIONS = OUT.resolve("declarations.log");

    private static Broker broker;

    /** How the broker is stopped at a point of the run. */
    private enum Stop { KILL, KILL_WITH_BACKLOG, GRACEFUL_WITH_BACKLOG }

    /** A stop of the broker once this share of the messages has been acknowledged AA. */
    private record Point(double at, Stop how) {
    }

    /**
     * {@code killtest.plan}, default {@code 0.2:KILL,0.6:KILL_WITH_BACKLOG}: SIGKILL after 20 % and after 60 % of the
     * messages were acknowledged, the second after the hub has answered slowly for 5 % of the messages so the queue
     * surely holds acknowledged messages when the broker dies. {@code GRACEFUL_WITH_BACKLOG} stops with SIGTERM instead
     * (e.g. {@code 0.2:KILL,0.4:GRACEFUL_WITH_BACKLOG,0.6:KILL_WITH_BACKLOG}, about 35 s more). Empty: no stops.
     */
    private static List<Point> plan() {
        String plan = System.getProperty("killtest.plan", "0.2:KILL,0.6:KILL_WITH_BACKLOG");
        return Stream.of(plan.split(",")).map(String::trim).filter(p -> !p.isEmpty())
                .map(p -> new Point(Double.parseDouble(p.split(":")[0]), Stop.valueOf(p.split(":")[1].trim())))
                .toList();
    }

    private record StopReport(int number, Stop how, int aasBefore, long stopMillis, int acceptedNotApplied,
                              long startMillis) {
    }

    @AfterAll
    static void noBrokerLeftRunning() {
        if (broker != null) {
            broker.kill();
        }
    }

    @Test
    void everyMessageIsAcceptedAndAppliedOnceAcrossKillsAndRestarts() throws Exception {
        long t0 = System.nanoTime();
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36).toUpperCase();
        TestIo.deleteTree(DATA);
        TestIo.deleteTree(OUT);
        Files.createDirectories(OUT);
        Files.createDirectories(DATA);

        List<String> ssins = new ArrayList<>();
        for (int p = 0; p < PATIENTS; p++) {
            ssins.add(ssin(p));
        }
        String[] controls = new String[MESSAGES];
        String[] documents = new String[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            controls[i] = "KT" + run + "-" + i;
            documents[i] = "KT-" + run + "-" + i;
        }

        broker = new Broker(TestIo.freePort(), TestIo.freePort());
        long firstStart = System.nanoTime();
        broker.start();
        long firstStartMillis = (System.nanoTime() - firstStart) / 1_000_000;

        Senders senders = new Senders(controls, documents, ssins, broker.mllpPort);
        senders.start();
        List<StopReport> stops = new ArrayList<>();
        try {
            for (Point point : plan()) {
                int target = (int) (MESSAGES * point.at());
                if (point.how() != Stop.KILL) {
                    // the hub answers slowly for a while before the stop, so acknowledged messages pile up in the queue
                    awaitOrFail("AAs before slowing the hub", PHASE_TIMEOUT,
                            () -> senders.acked.get() >= target - MESSAGES / 20 || senders.failure.get() != null);
                    broker.putFaults("rsb", "{\"latencyMs\":250}");
                }
                awaitOrFail(target + " AAs", PHASE_TIMEOUT,
                        () -> senders.acked.get() >= target || senders.failure.get() != null);
                assertThat(senders.failure.get()).as("sender failure").isNull();
                int aas = senders.acked.get();
                long s0 = System.nanoTime();
                if (point.how() == Stop.GRACEFUL_WITH_BACKLOG) {
                    broker.stopGracefully();
                } else {
                    broker.kill();
                }
                long stopMillis = (System.nanoTime() - s0) / 1_000_000;
                int backlog = acknowledgedNotAppliedInACopy(run, stops.size() + 1, senders.acked.get());
                long s1 = System.nanoTime();
                broker.start();
                stops.add(new StopReport(stops.size() + 1, point.how(), aas, stopMillis, backlog,
                        (System.nanoTime() - s1) / 1_000_000));
            }
            awaitOrFail("every message acknowledged AA", PHASE_TIMEOUT,
                    () -> senders.acked.get() >= MESSAGES || senders.failure.get() != null);
        } finally {
            senders.stop();
        }
        assertThat(senders.failure.get()).as("sender failure").isNull();
        long sentMillis = (System.nanoTime() - t0) / 1_000_000;

        // drained: every document reached the hub (the declaration log), then a graceful stop and the ledger
        Set<String> expectedDocuments = Set.of(documents);
        awaitOrFail("every document declared at the hub", DRAIN_TIMEOUT,
                () -> declaredDocuments().containsAll(expectedDocuments));
        broker.stopGracefully();

        Map<String, Integer> declared = declarations();
        Ledger ledger = readLedger(run, DATA.resolve("db/record-broker"));
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;

        int hubDuplicates = declared.values().stream().mapToInt(n -> n - 1).sum();
        List<String> brokerLogs = brokerLogLines();
        long deliberate = senders.deliberateDuplicates.get();
        long redeliveriesSkipped = brokerLogs.stream().filter(l -> l.contains("was already applied")).count();
        long deadLettered = brokerLogs.stream().filter(l -> l.contains("dead-lettered")).count();
        long storeFailures = brokerLogs.stream().filter(l -> l.contains("could not store")).count();

        StringBuilder summary = new StringBuilder()
                .append("KillRestartIT run ").append(run).append('\n')
                .append("messages ").append(MESSAGES).append(", senders ").append(SENDERS).append(", patients ")
                .append(PATIENTS).append('\n')
                .append("broker processes started ").append(broker.starts).append(" (first start ")
                .append(firstStartMillis).append(" ms; class path ").append(classPathNote()).append(")\n");
        for (StopReport s : stops) {
            summary.append("stop ").append(s.number()).append(": ").append(s.how()).append(" after ")
                    .append(s.aasBefore()).append(" AAs; stopped in ").append(s.stopMillis()).append(" ms; ")
                    .append(s.acceptedNotApplied()).append(" acknowledged but not yet applied (queued); restarted in ")
                    .append(s.startMillis()).append(" ms\n");
        }
        summary.append("sends ").append(senders.sends.get()).append(" (resends of unacknowledged messages ")
                .append(senders.resends.get()).append(": after a dropped connection ").append(senders.ioFailures.get())
                .append(", an ACK timeout ").append(senders.timeouts.get()).append(", AE ").append(senders.aes.get())
                .append("); connection attempts refused ").append(senders.refused.get()).append('\n')
                .append("mean time to an answer ").append(senders.ackCount.sum() == 0 ? 0
                        : senders.ackNanos.sum() / senders.ackCount.sum() / 1000).append(" µs\n")
                .append("deliberate resends after an AA ").append(deliberate).append(" (all AA again: ")
                .append(senders.deliberateDuplicatesAa.get() == deliberate).append("; the consumer skips them)\n")
                .append("messages skipped by the consumer as already applied (resends, redeliveries after a kill) ")
                .append(redeliveriesSkipped).append('\n')
                .append("hl7_accepted rows ").append(ledger.accepted.size()).append(", hl7_applied rows ")
                .append(ledger.applied.size()).append(", hl7_document DECLARED ").append(ledger.declaredDocuments.size())
                .append('\n')
                .append("hub DeclareTransaction calls ").append(declared.values().stream().mapToInt(i -> i).sum())
                .append(" for ").append(declared.size()).append(" distinct documents; duplicate calls ")
                .append(hubDuplicates).append(' ').append(duplicatesOf(declared)).append('\n')
                .append("dead-lettered ").append(deadLettered).append(", could-not-store (AE) ").append(storeFailures)
                .append('\n')
                .append("sending took ").append(sentMillis).append(" ms; wall time ").append(wallMillis).append(" ms\n");
        System.out.print(summary);
        Files.writeString(OUT.resolve("summary.txt"), summary);

        Set<String> expectedControls = Set.of(controls);
        assertThat(senders.acked.get()).as("messages acknowledged AA").isEqualTo(MESSAGES);
        if (plan().stream().anyMatch(p -> p.how() != Stop.KILL)) {
            assertThat(stops).as("stopped with messages still queued")
                    .anyMatch(s -> s.how() != Stop.KILL && s.acceptedNotApplied() > 0);
        }
        assertThat(deadLettered).as("dead letters").isZero();
        assertThat(senders.deliberateDuplicatesAa.get()).isEqualTo(senders.deliberateDuplicates.get());
        assertThat(missing(expectedControls, ledger.accepted)).as("messages without an hl7_accepted row").isEmpty();
        assertThat(ledger.accepted).as("hl7_accepted: one row per message").hasSize(MESSAGES);
        assertThat(missing(expectedControls, ledger.applied)).as("messages without an hl7_applied row").isEmpty();
        assertThat(ledger.applied).as("hl7_applied: one row per message").hasSize(MESSAGES);
        assertThat(missing(expectedDocuments, ledger.declaredDocuments)).as("documents not DECLARED in hl7_document")
                .isEmpty();
        assertThat(missing(expectedDocuments, declared.keySet())).as("documents never declared at the hub").isEmpty();
        assertThat(declared.keySet()).as("documents declared at the hub").hasSize(MESSAGES);
    }

    // ------------------------------------------------------------------------------------------------ the broker

    /** The broker as its own JVM, restarted on the same ports and data directory. */
    private static final class Broker {

        final int httpPort;
        final int mllpPort;
        final int managementPort = TestIo.freePort();
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Process process;
        int starts;

        Broker(int httpPort, int mllpPort) {
            this.httpPort = httpPort;
            this.mllpPort = mllpPort;
            Runtime.getRuntime().addShutdownHook(new Thread(this::kill));
        }

        void start() throws IOException {
            starts++;
            List<String> command = new ArrayList<>(BrokerJvm.command("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
            command.addAll(List.of(
                    "--server.port=" + httpPort,
                    "--management.server.port=" + managementPort,
                    "--record-broker.mllp.port=" + mllpPort,
                    "--record-broker.data-dir=" + DATA,
                    "--record-broker.sandbox.declaration-log=" + DECLARATIONS,
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=" + System.getProperty("killtest.broker-log-level", "WARN"),
                    // the sandbox hubs are served by this process's Tomcat, which Spring stops before Camel: an
                    // in-flight declaration can only retry until Camel's shutdown timeout (45 s by default) and is
                    // then rolled back to the queue; 10 s keeps a graceful stop short
                    "--camel.main.shutdown-timeout=10",
                    // the duplicate and redelivery lines the summary counts
                    "--logging.level.be.recordbroker.ingest=INFO"));
            String extra = System.getProperty("killtest.broker-args", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(BASE.toFile()).redirectErrorStream(true)
                    .redirectOutput(OUT.resolve("broker-" + starts + ".log").toFile());
            builder.environment().remove("SPRING_PROFILES_ACTIVE");
            builder.environment().remove("RECORD_BROKER_DATA_DIR");
            process = builder.start();
            Process started = process;
            awaitOrFail("broker " + starts + " ready (health UP, MLLP open; see broker-" + starts + ".log)", START_TIMEOUT,
                    () -> {
                        if (!started.isAlive()) {
                            throw new AssertionError("broker " + starts + " exited with " + started.exitValue()
                                    + " during start-up; see target/kill-test/broker-" + starts + ".log");
                        }
                        return mllpOpen() && healthUp();
                    });
        }

        /** SIGKILL (destroyForcibly is SIGKILL on Linux), and wait until the process is gone. */
        void kill() {
            Process p = process;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** SIGTERM: Spring's graceful shutdown (in-flight exchanges finish, queued messages stay); SIGKILL after 90 s. */
        void stopGracefully() throws InterruptedException {
            Process p = process;
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    System.out.println("broker " + starts + " did not stop within 90 s of SIGTERM: killed");
                    kill();
                }
            }
        }

        void putFaults(String hub, String json) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/sandbox/hubs/" + hub + "/faults"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("PUT faults: " + response.body()).isEqualTo(200);
        }

        private boolean healthUp() {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().startsWith("{\"status\":\"UP\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private boolean mllpOpen() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", mllpPort), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static String classPathNote() {
        String[] entries = System.getProperty("java.class.path").split(System.getProperty("path.separator"));
        return entries.length + " entries in java.class.path"
                + (entries.length == 1 ? " (" + Path.of(entries[0]).getFileName() + ")" : "")
                + ", test classes left out";
    }

    // ------------------------------------------------------------------------------------------------ the senders

    /**
     * Sender threads, each with one persistent socket and one message in flight (camel-mllp does not read a second
     * frame before it has answered the first). A message not answered AA (timeout, refused or reset connection, AE)
     * goes to the back of the queue and is sent again.
     */
    private static final class Senders {

        final String[] controls;
        final String[] documents;
        final List<String> ssins;
        final int port;
        final LinkedBlockingDeque<Integer> pending = new LinkedBlockingDeque<>();
        final AtomicIntegerArray attempts;
        final AtomicIntegerArray aa;
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger sends = new AtomicInteger();
        final AtomicInteger resends = new AtomicInteger();
        final AtomicInteger timeouts = new AtomicInteger();
        final AtomicInteger ioFailures = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger aes = new AtomicInteger();
        final AtomicInteger deliberateDuplicates = new AtomicInteger();
        final AtomicInteger deliberateDuplicatesAa = new AtomicInteger();
        final java.util.concurrent.atomic.LongAdder ackNanos = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder ackCount = new java.util.concurrent.atomic.LongAdder();
        final AtomicReference<String> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean stopped;

        Senders(String[] controls, String[] documents, List<String> ssins, int port) {
            this.controls = controls;
            this.documents = documents;
            this.ssins = ssins;
            this.port = port;
            this.attempts = new AtomicIntegerArray(controls.length);
            this.aa = new AtomicIntegerArray(controls.length);
            for (int i = 0; i < controls.length; i++) {
                pending.add(i);
            }
        }

        void start() {
            for (int t = 0; t < SENDERS; t++) {
                Thread thread = new Thread(this::run, "kill-test-sender-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread thread : threads) {
                thread.join(ACK_TIMEOUT.toMillis() + 5000);
            }
        }

        String message(int i) {
            return Hl7TestMessages.mdm(FACILITY, "T02", controls[i], ssins.get(i % ssins.size()), documents[i], null,
                    ("%PDF-1.4\n" + i + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII));
        }

        private void run() {
            Socket socket = null;
            int acksHere = 0;
            try {
                while (!stopped && acked.get() < controls.length) {
                    Integer i = pending.poll(100, TimeUnit.MILLISECONDS);
                    if (i == null) {
                        continue;
                    }
                    if (socket == null) {
                        try {
                            socket = TestMllp.connect(port, ACK_TIMEOUT);
                        } catch (IOException refusedNow) {
                            // the broker is down or starting: nothing was sent, the message keeps its place
                            refused.incrementAndGet();
                            pending.addFirst(i);
                            Thread.sleep(100 + (long) (Math.random() * 200));
                            continue;
                        }
                    }
                    if (attempts.getAndIncrement(i) > 0) {
                        resends.incrementAndGet();
                    }
                    sends.incrementAndGet();
                    String ack;
                    try {
                        long a0 = System.nanoTime();
                        ack = TestMllp.exchange(socket, message(i));
                        ackNanos.add(System.nanoTime() - a0);
                        ackCount.increment();
                    } catch (IOException e) {
                        if (e instanceof java.net.SocketTimeoutException) {
                            timeouts.incrementAndGet();
                        } else {
                            ioFailures.incrementAndGet();
                        }
                        TestIo.closeQuietly(socket);
                        socket = null;
                        pending.addLast(i);
                        Thread.sleep(100 + (long) (Math.random() * 200));
                        continue;
                    }
                    TestMllp.Msa msa = TestMllp.msa(ack);
                    if (msa == null || !controls[i].equals(msa.control())) {
                        failure.compareAndSet(null, "unexpected answer to " + controls[i] + ": " + ack);
                        return;
                    }
                    switch (msa.code()) {
                        case "AA" -> {
                            if (aa.getAndIncrement(i) == 0) {
                                acked.incrementAndGet();
                            }
                            if (++acksHere % DUPLICATE_EVERY == 0) {
                                deliberateDuplicate(socket, i);
                            }
                        }
                        case "AE" -> {
                            aes.incrementAndGet();
                            pending.addLast(i);
                            Thread.sleep(200);
                        }
                        default -> {
                            failure.compareAndSet(null, msa.code() + " for " + controls[i] + ": " + ack);
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e.toString());
            } finally {
                TestIo.closeQuietly(socket);
            }
        }

        /** The same message again after its AA: answered AA again, never applied twice. */
        private void deliberateDuplicate(Socket socket, int i) {
            deliberateDuplicates.incrementAndGet();
            try {
                TestMllp.Msa msa = TestMllp.msa(TestMllp.exchange(socket, message(i)));
                if (msa != null && "AA".equals(msa.code()) && controls[i].equals(msa.control())) {
                    deliberateDuplicatesAa.incrementAndGet();
                    return;
                }
                failure.compareAndSet(null, "a duplicate of " + controls[i] + " was not answered AA: "
                        + (msa == null ? "?" : msa.code()));
            } catch (IOException e) {
                // the broker went away: the message was already acknowledged, so this one does not count
                deliberateDuplicates.decrementAndGet();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ evidence

    /** hub TAB localId per line; a line cut short by a kill (no newline yet) is ignored. */
    private static Map<String, Integer> declarations() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        if (!Files.exists(DECLARATIONS)) {
            return counts;
        }
        String text = Files.readString(DECLARATIONS, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return counts;
        }
        for (String line : text.substring(0, end).split("\n")) {
            String[] parts = line.split("\t");
            if (parts.length == 2 && parts[0].equals("rsb") && parts[1].startsWith("KT-")) {
                counts.merge(parts[1], 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Set<String> declaredDocuments() {
        try {
            return declarations().keySet();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String duplicatesOf(Map<String, Integer> declared) {
        List<String> twice = declared.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + "x" + e.getValue()).sorted().toList();
        return twice.isEmpty() ? "" : twice.size() > 20 ? twice.subList(0, 20) + "..." : twice.toString();
    }

    private record Ledger(Set<String> accepted, Set<String> applied, Set<String> declaredDocuments) {
    }

    /** The broker's H2 ledger, opened by this JVM: only while no broker runs (AUTO_SERVER=FALSE, one process). */
    private static Ledger readLedger(String run, Path database) throws SQLException {
        assertThat(broker.process.isAlive()).as("the broker has stopped").isFalse();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + database + ";AUTO_SERVER=FALSE", "sa", "")) {
            return new Ledger(
                    strings(db, "SELECT control_id FROM hl7_accepted WHERE facility = ? AND control_id LIKE ?",
                            "KT" + run + "-%"),
                    strings(db, "SELECT control_id FROM hl7_applied WHERE facility = ? AND control_id LIKE ?",
                            "KT" + run + "-%"),
                    strings(db, "SELECT document_number FROM hl7_document WHERE facility = ? AND document_number LIKE ?"
                            + " AND status = 'DECLARED'", "KT-" + run + "-%"));
        }
    }

    /**
     * Acknowledged (AA'd to the senders, so on the queue) but not applied when the broker went down: the applied rows
     * are read from a copy of the database file, so the restarted broker recovers its own file after a kill as it
     * would in production.
     */
    private static int acknowledgedNotAppliedInACopy(String run, int stop, int acknowledged)
            throws SQLException, IOException {
        Path copy = OUT.resolve("ledger-at-stop-" + stop);
        Files.createDirectories(copy);
        Files.copy(DATA.resolve("db/record-broker.mv.db"), copy.resolve("record-broker.mv.db"));
        Ledger ledger = readLedger(run, copy.resolve("record-broker"));
        return Math.max(0, acknowledged - ledger.applied().size());
    }

    private static Set<String> strings(Connection db, String sql, String like) throws SQLException {
        Set<String> values = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, FACILITY);
            statement.setString(2, like);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (!values.add(rows.getString(1))) {
                        duplicates.add(rows.getString(1));
                    }
                }
            }
        }
        assertThat(duplicates).as("rows for the same message: " + sql).isEmpty();
        return values;
    }

    private static List<String> missing(Set<String> expected, Set<String> found) {
        List<String> missing = expected.stream().filter(e -> !found.contains(e)).sorted().toList();
        if (missing.size() <= 20) {
            return missing;
        }
        List<String> first = new ArrayList<>(missing.subList(0, 20));
        first.add("... " + missing.size() + " in all");
        return first;
    }

    private static List<String> brokerLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> logs = Files.list(OUT)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("broker-")).toList()) {
                lines.addAll(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
            }
        }
        return lines;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A valid SSIN (born 1950-1989, so the check digits use the number itself). */
    static String ssin(int p) {
        int year = 50 + p % 40;
        int month = 1 + (p / 40) % 12;
        int day = 1 + (p / 7) % 28;
        int counter = 1 + p % 997;
        String first9 = String.format("%02d%02d%02d%03d", year, month, day, counter);
        return first9 + String.format("%02d", 97 - Long.parseLong(first9) % 97);
    }

    private static void awaitOrFail(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

}
