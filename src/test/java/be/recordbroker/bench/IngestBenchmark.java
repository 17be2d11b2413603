package be.recordbroker.bench;

import be.recordbroker.TestIo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import jdk.jfr.Recording;

import org.apache.camel.CamelContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import be.recordbroker.RecordBrokerApplication;
import be.recordbroker.ops.RouteMetricsSwitch;

/**
 * The HL7 ingest benchmark (docs/benchmarks.md). Eight persistent MLLP connections (like a hospital's HIS: opened once, kept
 * open) each send MDM^T02 (~2 KB, a small base64 PDF in an ED OBX) and ORU^R01 alternately for SANDBOX-BRU, a few
 * hundred patients, a unique MSH-10 each, and wait for each ACK before the next. The anchor is a bare HAPI 2.6
 * {@code SimpleServer} that answers {@code generateACK()} and stores nothing; the broker runs in-process on a fresh
 * data directory (checks, content stripped, ledger, durable enqueue, AA). Prints msgs/s and exact p50/p99 ACK latency
 * of both and their ratio, and writes the same block to {@code target/bench/ingest.txt}. Not a test: run it with the
 * command in docs/benchmarks.md.
 *
 * <p><b>Interleaved.</b> Both servers run in this JVM for the whole run and are measured in alternating slices
 * (anchor, broker, broker, anchor, ... of {@code bench.slice} seconds), so a neighbour process that loads the machine
 * for a while (a 2-core machine shared with builds) weighs on both figures alike instead of on one of them. The
 * line "other processes" tells how busy the machine was meanwhile.
 *
 * <p><b>The declaring consumer</b> (ingest queue → SOAP at the sandbox hubs, which are served by this same process)
 * is suspended during the anchor's slices, so it never loads the anchor. During the broker's slices it is suspended
 * too by default ({@code bench.consumer=paused}): the figure is then the ACK path itself — what the hospital waits
 * for — and the hubs' SOAP servers, which in production run elsewhere, take no CPU from it. With
 * {@code bench.consumer=running} it works during the broker's slices. Either way it is resumed afterwards and the
 * run reports how much of the queue it applied within {@code bench.drain} seconds.
 *
 * <p><b>Route metrics on and off</b> ({@code bench.targets=route-metrics}, issue 16): instead of anchor and broker,
 * the broker alone in alternating slices with its route metrics on and off ({@link RouteMetricsAb}); prints the
 * broker's CPU per message of every slice, the on/off ratio of their means and medians against the goal (1.03) and
 * their spread, and writes the block to {@code target/bench/ingest-route-metrics.txt} (no drain).
 *
 * <p>Properties: {@code bench.seconds} (measured time per target, default 60), {@code bench.warmup} (per target,
 * default 10), {@code bench.slice} (default 10), {@code bench.connections} (8), {@code bench.patients} (300),
 * {@code bench.consumer} (paused), {@code bench.drain} (60), {@code bench.targets} (anchor,broker; or
 * route-metrics), {@code bench.scrape.seconds} (route-metrics: seconds of load between scrapes, 15; 0: none),
 * {@code bench.warmup.max} (180), {@code bench.broker.args} (comma-separated {@code key=value} overrides for the
 * broker), {@code bench.jfr=true} (execution samples of each measured slice to
 * {@code target/bench/ingest-<target>-<n>.jfr}; read them with {@link JfrHotFrames}).
 */
public final class IngestBenchmark {

    private static final String FACILITY = "SANDBOX-BRU";
    private static final String TS = "20261122101500";
    /** SANDBOX-BRU's hub is rsb: its queue and declaring route. */
    private static final String DECLARE_ROUTE = be.recordbroker.routes.DeclareRoutes.DECLARE_ROUTE_PREFIX + "rsb";
    private static final Path OUT = Path.of("target/bench");
    private static final String ROUTE_METRICS = "route-metrics";
    /** The route metrics' cost ceiling: CPU per message with them over without (issue 16). */
    private static final double ROUTE_METRICS_GOAL = 1.03;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int warmupMax = Integer.getInteger("bench.warmup.max", 180);
    private final int slice = Integer.getInteger("bench.slice", 10);
    private final int connections = Integer.getInteger("bench.connections", 8);
    private final int patients = Integer.getInteger("bench.patients", 300);
    private final int drainSeconds = Integer.getInteger("bench.drain", 60);
    private final boolean consumerRunning = "running".equals(System.getProperty("bench.consumer", "paused"));
    private final boolean jfr = Boolean.getBoolean("bench.jfr");
    private final java.util.Set<String> targets = java.util.Set.copyOf(
            Arrays.asList(System.getProperty("bench.targets", "anchor,broker").trim().split("\\s*,\\s*")));
    /** bench.targets=route-metrics: the broker alone, route metrics on and off in alternating slices (issue 16). */
    private final boolean routeMetrics = targets.contains(ROUTE_METRICS);
    /** route-metrics: Prometheus' scrape interval (docker/prometheus/prometheus.yml), in seconds of load; 0: none. */
    private final int scrapeSeconds = Integer.getInteger("bench.scrape.seconds", 15);
    private final String[] ssins;
    private final String pdfBase64;

    private IngestBenchmark() {
        ssins = new String[patients];
        for (int i = 0; i < patients; i++) {
            ssins[i] = ssin(i);
        }
        byte[] pdf = new byte[1100];
        new Random(42).nextBytes(pdf);
        byte[] head = "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, pdf, 0, head.length);
        pdfBase64 = Base64.getEncoder().encodeToString(pdf);
    }

    public static void main(String[] args) throws Exception {
        int exit = 0;
        try {
            new IngestBenchmark().run();
        } catch (Throwable t) {
            t.printStackTrace();
            exit = 1;
        }
        System.exit(exit); // the broker's and HAPI's non-daemon threads
    }

    private void run() throws Exception {
        // HAPI logs every connection (and more, at logback's default DEBUG) before Spring Boot sets the levels
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Files.createDirectories(OUT);
        if (jfr) {
            JfrHotFrames.startIdleRecorder();
        }
        boolean withAnchor = targets.contains("anchor") && !routeMetrics;
        boolean withBroker = targets.contains("broker") || routeMetrics;
        System.out.printf(Locale.ROOT, "ingest benchmark%s: %d connections, warm-up %d s, measured %d s per target in "
                        + "%d-s slices, consumer %s, %d CPUs%n", routeMetrics ? " (route metrics on / off)" : "",
                connections, warmup, seconds, slice,
                consumerRunning ? "running" : "paused", Runtime.getRuntime().availableProcessors());

        // the anchor: HAPI's own server, ACK only
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        int hapiPort = TestIo.freePort();
        HL7Service server = hapi.newServer(hapiPort, false);
        server.registerApplication("*", "*", new AckOnly());
        server.startAndWait();

        // the broker, in-process, on a fresh data directory; command-line arguments win over config/*.yaml
        ConfigurableApplicationContext broker = null;
        CamelContext camel = null;
        org.apache.activemq.artemis.core.server.ActiveMQServer artemis = null;
        double fdatasyncP50 = Double.NaN;
        int mllpPort = TestIo.freePort();
        if (withBroker) {
            Path data = Path.of("target/bench-data");
            TestIo.deleteTree(data);
            System.out.println("starting the broker ...");
            List<String> brokerArgs = new ArrayList<>(List.of("--record-broker.data-dir=" + data, "--server.port=0", "--management.server.port=0",
                    "--record-broker.mllp.port=" + mllpPort, "--spring.main.banner-mode=off",
                    // the per-site listener of routes/ too: a fixed port collides with a broker another build runs
                    "--record-broker.sites.sandbox-lge.mllp-port=" + TestIo.freePort(),
                    "--logging.level.root=WARN", "--logging.level.be.recordbroker=WARN",
                    "--camel.main.shutdown-timeout=5"));
            for (String extra : System.getProperty("bench.broker.args", "").split(",")) {
                if (!extra.isBlank()) {
                    brokerArgs.add("--" + extra.trim()); // e.g. -Dbench.broker.args=spring.jms.cache.session-cache-size=1
                }
            }
            fdatasyncP50 = JournalFacts.fdatasyncP50Micros(data.resolve("artemis"), 500);
            broker = new SpringApplicationBuilder(RecordBrokerApplication.class)
                    .initializers(context -> ((org.springframework.context.support.GenericApplicationContext) context)
                            .registerBean("benchJournalFlushCounter", org.springframework.boot.autoconfigure.jms
                                    .artemis.ArtemisConfigurationCustomizer.class, JournalFacts::countFlushes))
                    .run(brokerArgs.toArray(String[]::new));
            camel = broker.getBean(CamelContext.class);
            artemis = broker.getBean(org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ.class)
                    .getActiveMQServer();
            withoutLogbackMetrics();
        }
        Target anchor = new Target("anchor", hapiPort, false, null);
        Target brokerTarget = new Target("broker", mllpPort, true, null);
        RouteMetricsAb ab = routeMetrics ? new RouteMetricsAb(broker, camel, mllpPort) : null;
        if (artemis != null) {
            brokerTarget.flushes = JournalFacts.flushes(artemis);
            if (ab != null) {
                ab.on.flushes = brokerTarget.flushes;
                ab.off.flushes = brokerTarget.flushes;
            }
        }
        String drained = "-";
        String journalFacts = "-";
        String timerMode = "-";
        try {
            List<Target> order = new ArrayList<>();
            if (ab != null) {
                order.add(ab.on);
                order.add(ab.off);
            } else {
                if (withAnchor) {
                    order.add(anchor);
                }
                if (withBroker) {
                    order.add(brokerTarget);
                }
            }
            for (Target t : order) {
                consumer(camel, t.broker && consumerRunning);
                t.warmUp();
            }
            int rounds = Math.max(1, (seconds + slice - 1) / slice);
            for (int r = 0; r < rounds; r++) {
                int length = Math.min(slice, seconds - r * slice);
                List<Target> roundOrder = new ArrayList<>(order);
                if (r % 2 == 1) {
                    java.util.Collections.reverse(roundOrder); // ABBA: neither always goes first
                }
                for (Target t : roundOrder) {
                    consumer(camel, t.broker && consumerRunning);
                    t.slice(length, true, r + 1);
                }
                System.out.printf(Locale.ROOT, "round %d/%d:%s%n", r + 1, rounds, order.stream()
                        .map(t -> String.format(Locale.ROOT, " %s %.0f msgs/s %.0f µs process CPU/msg", t.name,
                                t.lastRate, t.lastCpuMicros)).reduce("", String::concat));
            }
            if (artemis != null) {
                journalFacts = JournalFacts.journal(artemis);
                timerMode = JournalFacts.timerMode(artemis);
            }
            anchor.close();
            brokerTarget.close();
            if (ab != null) {
                ab.on.close(); // the same connections as ab.off
                ab.set(true); // as it started
            } else if (withBroker) {
                consumer(camel, true);
                drained = drain(broker.getBean(JdbcTemplate.class), broker.getBean(
                        org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ.class).getActiveMQServer()
                        .locateQueue(be.recordbroker.ingest.IngestQueues.declareQueue("rsb")));
            }
        } finally {
            server.stopAndWait();
            hapi.close();
            if (broker != null) {
                consumer(camel, false); // let in-flight declarations finish before the hubs' server stops
                broker.close();
            }
        }

        if (ab != null) {
            String report = ab.report(journalFacts, timerMode);
            System.out.print("\n" + report);
            Files.writeString(OUT.resolve("ingest-route-metrics.txt"), report);
            return;
        }
        Result a = anchor.result();
        Result b = brokerTarget.result();

        double ratio = b.rate() / a.rate();
        String block = String.format(Locale.ROOT, """
                ingest benchmark (%d connections, MDM^T02 + ORU^R01, %d s each)
                  anchor  HAPI SimpleServer (ACK only):   %5.0f msgs/s   p50 %.1f ms  p99 %.1f ms
                  broker  durable enqueue + AA:           %5.0f msgs/s   p50 %.1f ms  p99 %.1f ms
                  ratio   broker / anchor:                %.2f  (goal >= 1.0)
                  cpu     this process per message:      anchor %.0f µs, broker %.0f µs (load generator included)
                  broker  non-AA answers: %d;  declared at the hub after the run: %s
                  journal %s; flush timer %s
                  disk    data directory fdatasync p50 %.0f µs (4 KiB, before the run); %s messages per journal flush
                """, connections, seconds, a.rate(), a.p50(), a.p99(), b.rate(), b.p50(), b.p99(), ratio,
                a.cpuMicrosPerMessage(), b.cpuMicrosPerMessage(), b.notAa(), drained,
                journalFacts, timerMode, fdatasyncP50, brokerTarget.flushCount > 0
                        ? String.format(Locale.ROOT, "%.1f", b.rate() * brokerTarget.measuredNanos / 1e9
                        / brokerTarget.flushCount) : "?");
        String details = String.format(Locale.ROOT, """
                  (interleaved %d-s slices after warm-ups of %.0f s / %.0f s; consumer %s during the broker's slices; \
                anchor answers %s, errors %d; broker answers %s, errors %d; other processes used %.0f%% / %.0f%% \
                of the CPUs during the anchor's / broker's slices; %d patients; MDM^T02 %d B, ORU^R01 %d B; %d CPUs)
                """, slice, anchor.warmedUp, brokerTarget.warmedUp,
                consumerRunning ? "running" : "paused", a.codes(), a.errors(), b.codes(),
                b.errors(), a.foreignCpu() * 100, b.foreignCpu() * 100, patients,
                mdm("X", ssins[0], "D").length(), oru("X", ssins[0], "O").length(),
                Runtime.getRuntime().availableProcessors());
        System.out.print("\n" + block + details);
        Files.writeString(OUT.resolve("ingest.txt"), block + details);
    }

    /**
     * Removes Micrometer's logback turbo filter, which Spring Boot installs JVM-wide with the broker. HAPI's MLLP
     * decoder calls {@code log.trace(...)} for every character it reads, unguarded, and with the filter each call
     * costs a thread-local lookup: the anchor's server (a bare HAPI has no such filter) and the load generator's ACK
     * reader (on both targets) would pay for the broker's instrumentation. The broker's own path does not read
     * through HAPI's decoder and only counts log events with it.
     */
    private static void withoutLogbackMetrics() {
        var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        context.getTurboFilterList().removeIf(f -> f.getClass().getName().startsWith("io.micrometer."));
    }

    /** Suspends or resumes the broker's declaring consumer (none: anchor only). */
    private static void consumer(CamelContext camel, boolean running) throws Exception {
        if (camel == null) {
            return;
        }
        var controller = camel.getRouteController();
        boolean suspended = controller.getRouteStatus(DECLARE_ROUTE).isSuspended();
        if (running && suspended) {
            controller.resumeRoute(DECLARE_ROUTE);
        } else if (!running && !suspended) {
            controller.suspendRoute(DECLARE_ROUTE);
        }
    }

    // ------------------------------------------------------------------------------- route metrics on and off

    /**
     * {@code bench.targets=route-metrics} (issue 16: the route metrics must cost at most 3 % of the broker's CPU per
     * message): the broker alone, on one set of connections, in alternating slices with the route metrics on and off
     * (on, off, off, on, ...; the warm-ups: on, then off), so that JIT luck, Artemis' flush timer and the neighbours
     * weigh on both settings alike, which separate processes could not give (their CPU per message spread 10-25 %).
     * On and off are {@link RouteMetricsSwitch}: Camel's per-route statistics and the {@code camel_*} meters. Both
     * settings are scraped on the management port as Prometheus would (ops user, every {@code bench.scrape.seconds}
     * of load, 15 as docker/prometheus/prometheus.yml: halfway through every n-th slice of each setting, the same
     * rounds for both), so off pays the scrape of everything else and on adds only the route meters' part of it
     * (scraping in the on slices only would charge the whole scrape to the route metrics; never scraping would leave
     * out their only cost besides the statistics). The broker's CPU of a slice is this process's minus the load
     * generator's threads and the scraping client's.
     */
    private final class RouteMetricsAb {
        final Target on;
        final Target off;
        final RouteMetricsSwitch metricsSwitch;
        final List<org.apache.camel.api.management.mbean.ManagedRouteMBean> listeners;
        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        final java.net.URI scrapeUri;
        /** Per setting (0 off, 1 on): messages of all slices and what the listeners' statistics counted of them. */
        final long[] sent = new long[2];
        final long[] counted = new long[2];
        /** Per setting: camel_* samples in the scrapes (min, max), scrape bytes (last), scrape time (sum ms, count). */
        final long[][] scrapes = {{Long.MAX_VALUE, 0, 0, 0, 0}, {Long.MAX_VALUE, 0, 0, 0, 0}};
        /** Per setting: the camel_* families the scrapes carried. */
        final List<java.util.Set<String>> camelFamilies = List.of(new java.util.TreeSet<>(), new java.util.TreeSet<>());
        final int scrapeEvery = Math.max(1, Math.round(scrapeSeconds / (float) slice));
        long listenersCounted;

        RouteMetricsAb(ConfigurableApplicationContext broker, CamelContext camel, int mllpPort) {
            metricsSwitch = new RouteMetricsSwitch(camel);
            var management = camel.getCamelContextExtension()
                    .getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class);
            listeners = camel.getRoutes().stream()
                    .filter(r -> be.recordbroker.ingest.Hl7Listener.ROUTE_GROUP.equals(r.getGroup()))
                    .map(r -> management.getManagedRoute(r.getRouteId())).toList();
            scrapeUri = java.net.URI.create("http://127.0.0.1:" + broker.getEnvironment()
                    .getRequiredProperty("local.management.port") + "/actuator/prometheus");
            on = new Target("route-metrics-on", mllpPort, true, null);
            off = new Target("route-metrics-off", mllpPort, true, on);
            for (Target t : List.of(off, on)) {
                int setting = t == on ? 1 : 0;
                t.beforeSlice = () -> {
                    set(setting == 1);
                    if (scrapeSeconds > 0) {
                        // unmeasured: the meters are new to the registry (bound again), and what a first scrape does
                        // once for a new meter, production does once after start-up, not every 15 s
                        scrape(setting, false);
                    }
                    listenersCounted = listenersCounted();
                };
                t.midSlice = scrapeSeconds <= 0 ? null : () -> scrape(setting, true);
                t.midSliceEvery = scrapeEvery;
                t.afterSlice = done -> {
                    sent[setting] += done;
                    counted[setting] += listenersCounted() - listenersCounted;
                };
            }
        }

        void set(boolean enabled) {
            metricsSwitch.set(enabled);
        }

        private long listenersCounted() {
            return listeners.stream().mapToLong(m -> m.getExchangesTotal()).sum();
        }

        /** GET /actuator/prometheus as the sandbox's ops user, as Prometheus does (docs/operations.md). */
        private void scrape(int setting, boolean recorded) {
            long t0 = System.nanoTime();
            try {
                var answer = http.send(java.net.http.HttpRequest.newBuilder(scrapeUri)
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                "ops:sandbox-ops-secret".getBytes(StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("scrape: HTTP " + answer.statusCode());
                }
                if (!recorded) {
                    return;
                }
                List<String> camelLines = answer.body().lines().filter(l -> l.startsWith("camel_")).toList();
                long camelSamples = camelLines.size();
                camelLines.forEach(l -> camelFamilies.get(setting).add(l.split("[{ ]", 2)[0]));
                long[] s = scrapes[setting];
                s[0] = Math.min(s[0], camelSamples);
                s[1] = Math.max(s[1], camelSamples);
                s[2] = answer.body().length();
                s[3] += (System.nanoTime() - t0) / 1_000_000;
                s[4]++;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The broker's CPU per message of each measured slice, in µs. */
        private double[] brokerMicros(Target t) {
            return t.slices.stream().mapToDouble(s -> (s[1] - s[2] - s[3]) / 1e3 / s[0]).toArray();
        }

        /** The broker's Java threads' CPU per message of each measured slice (no collector, no JIT), in µs. */
        private double[] threadMicros(Target t) {
            return t.slices.stream().mapToDouble(s -> s[4] / 1e3 / s[0]).toArray();
        }

        /** Bytes the broker's Java threads allocated per message, each measured slice. */
        private double[] allocatedBytes(Target t) {
            return t.slices.stream().mapToDouble(s -> s[5] / (double) s[0]).toArray();
        }

        private double[] processMicros(Target t) {
            return t.slices.stream().mapToDouble(s -> s[1] / 1e3 / s[0]).toArray();
        }

        String report(String journalFacts, String timerMode) {
            Result a = on.result();
            Result b = off.result();
            double[] onB = brokerMicros(on);
            double[] offB = brokerMicros(off);
            double[] onP = processMicros(on);
            double[] offP = processMicros(off);
            int rounds = Math.min(onB.length, offB.length);
            double[] paired = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                paired[r] = onB[r] / offB[r];
            }
            double meanRatio = mean(onB) / mean(offB);
            double[] onT = threadMicros(on);
            double[] offT = threadMicros(off);
            double[] threadsInterval = bootstrapRatioOfMeans(onT, offT, rounds);
            double[] onA = allocatedBytes(on);
            double[] offA = allocatedBytes(off);
            double[] interval = bootstrapRatioOfMeans(onB, offB, rounds);
            String verdict = interval[1] <= ROUTE_METRICS_GOAL ? "within 3 % (the interval's top end is below the goal)"
                    : interval[0] > ROUTE_METRICS_GOAL ? "over 3 % (the interval's low end is above the goal)"
                    : "not resolved (the interval straddles the goal)";
            return String.format(Locale.ROOT, """
                    route metrics on / off (issue 16): the broker alone, %d connections, MDM^T02 + ORU^R01, %d s each \
                    in alternating %d-s slices (%d rounds), %s
                      on   Camel route statistics (%d counters) + camel_* meters: %5.0f msgs/s  p50 %.1f ms  p99 %.1f ms
                      off  statistics disabled, no camel_* meters:                %5.0f msgs/s  p50 %.1f ms  p99 %.1f ms
                      broker CPU per message (this process minus the load generator and the scraping client):
                        on   mean %.1f µs  median %.1f µs  slices %.1f-%.1f µs  sd %.1f µs (%.1f %% of the mean)
                        off  mean %.1f µs  median %.1f µs  slices %.1f-%.1f µs  sd %.1f µs (%.1f %% of the mean)
                      ratio on / off: means %.3f, medians %.3f; per round (paired) median %.3f, range %.3f-%.3f;
                        95 %% interval of the means' ratio %.3f-%.3f (bootstrap over rounds)   goal <= %.2f: %s
                      with the load generator (whole process): on %.1f µs, off %.1f µs per message (means), ratio %.3f
                      the broker's Java threads alone (no collector, no JIT: what the statistics run on), CPU per message:
                        on   mean %.1f µs  median %.1f µs  sd %.1f %%;  off  mean %.1f µs  median %.1f µs  sd %.1f %%
                        ratio on / off: means %.3f, medians %.3f; 95 %% interval %.3f-%.3f   goal <= %.2f: %s
                      allocated per message by the broker's Java threads: on %.0f B, off %.0f B (ratio %.3f)
                      per slice, broker µs per message, in round order:
                        on   %s
                        off  %s
                      checks: the listener routes' statistics counted %d of the on slices' %d messages and %d of the \
                    off slices' %d;
                        the scrape carried %d-%d camel_* samples on and %d-%d off (%d / %d bytes; %.0f / %.0f ms a \
                    scrape on / off); camel_* families off: %s
                      other processes used %.0f%% / %.0f%% of the CPUs during the on / off slices; non-AA answers %d / \
                    %d, errors %d / %d
                      journal %s; flush timer %s; consumer %s; %d CPUs
                    """, connections, seconds, slice, rounds, scrapeSeconds <= 0 ? "no scrapes"
                            : String.format(Locale.ROOT, "a scrape every %d slices of each setting (every %d s of "
                            + "load; warm-ups: every slice)", scrapeEvery, scrapeEvery * slice),
                    metricsSwitch.counters(), a.rate(), a.p50(), a.p99(), b.rate(), b.p50(), b.p99(),
                    mean(onB), median(onB), min(onB), max(onB), sd(onB), 100 * sd(onB) / mean(onB),
                    mean(offB), median(offB), min(offB), max(offB), sd(offB), 100 * sd(offB) / mean(offB),
                    meanRatio, median(onB) / median(offB), median(paired), min(paired), max(paired),
                    interval[0], interval[1], ROUTE_METRICS_GOAL, verdict,
                    mean(onP), mean(offP), mean(onP) / mean(offP),
                    mean(onT), median(onT), 100 * sd(onT) / mean(onT), mean(offT), median(offT),
                    100 * sd(offT) / mean(offT), mean(onT) / mean(offT), median(onT) / median(offT), threadsInterval[0],
                    threadsInterval[1], ROUTE_METRICS_GOAL, threadsInterval[1] <= ROUTE_METRICS_GOAL ? "within 3 %"
                            : threadsInterval[0] > ROUTE_METRICS_GOAL ? "over 3 %" : "not resolved",
                    mean(onA), mean(offA), mean(onA) / mean(offA),
                    series(onB), series(offB),
                    counted[1], sent[1], counted[0], sent[0],
                    Math.min(scrapes[1][0], scrapes[1][1]), scrapes[1][1], Math.min(scrapes[0][0], scrapes[0][1]),
                    scrapes[0][1], scrapes[1][2], scrapes[0][2],
                    scrapes[1][3] / (double) Math.max(1, scrapes[1][4]),
                    scrapes[0][3] / (double) Math.max(1, scrapes[0][4]),
                    camelFamilies.get(0).isEmpty() ? "none" : String.join(" ", camelFamilies.get(0)),
                    a.foreignCpu() * 100, b.foreignCpu() * 100, a.notAa(), b.notAa(), a.errors(), b.errors(),
                    journalFacts, timerMode, consumerRunning ? "running" : "paused",
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** 2.5th and 97.5th percentiles of mean(on) / mean(off) over rounds drawn with replacement (pairs kept). */
    private static double[] bootstrapRatioOfMeans(double[] on, double[] off, int rounds) {
        if (rounds < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(16);
        double[] ratios = new double[10_000];
        for (int i = 0; i < ratios.length; i++) {
            double sumOn = 0;
            double sumOff = 0;
            for (int k = 0; k < rounds; k++) {
                int r = random.nextInt(rounds);
                sumOn += on[r];
                sumOff += off[r];
            }
            ratios[i] = sumOn / sumOff;
        }
        Arrays.sort(ratios);
        return new double[] {ratios[(int) (0.025 * ratios.length)], ratios[(int) (0.975 * ratios.length) - 1]};
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double sd(double[] v) {
        double m = mean(v);
        return v.length < 2 ? Double.NaN
                : Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    private static String series(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.0f", x))
                .reduce((x, y) -> x + " " + y).orElse("-");
    }

    // ---------------------------------------------------------------------------------------------------- the load

    record Result(double rate, double p50, double p99, long notAa, long errors, Map<String, Long> codes,
                  double foreignCpu, double cpuMicrosPerMessage) {
    }

    /** One server under load: its persistent connections and everything measured on them. */
    private final class Target {
        final String name;
        final int port;
        /** The broker (its declaring consumer follows bench.consumer during this target's slices). */
        final boolean broker;
        final Socket[] sockets;
        final MinLLPWriter[] writers;
        final MinLLPReader[] readers;
        final long[][] latencies = new long[connections][1 << 16];
        final int[] counts = new int[connections];
        final long[] sequence;
        final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        final LongAdder errors = new LongAdder();
        long measuredNanos;
        double foreignCpuWeighted;
        long selfCpuTicks;
        double lastRate;
        double warmedUp;
        /** The broker's journal flushes (null: the anchor) and how many fell in measured slices. */
        java.util.function.LongSupplier flushes;
        long flushCount;
        /** Run before each of this target's slices (warm-up ones too): e.g. the route metrics' setting. */
        Runnable beforeSlice = () -> { };
        /**
         * Run halfway through a slice on the benchmark's main thread (its CPU is counted apart): through every
         * warm-up slice, through every {@code midSliceEvery}-th measured one.
         */
        Runnable midSlice;
        int midSliceEvery = 1;
        /** Run after each slice (warm-up ones too) with the messages it sent. */
        java.util.function.LongConsumer afterSlice = done -> { };
        /**
         * Per measured slice: messages, this process's CPU and the load generator's (ns), the main thread's; with
         * route-metrics, the broker's Java threads' CPU (ns) and bytes allocated.
         */
        final List<long[]> slices = new ArrayList<>();
        double lastCpuMicros;

        /** {@code sharing}: another target on the same server whose connections this one uses too (or null). */
        Target(String name, int port, boolean broker, Target sharing) {
            this.name = name;
            this.port = port;
            this.broker = broker;
            this.sockets = sharing == null ? new Socket[connections] : sharing.sockets;
            this.writers = sharing == null ? new MinLLPWriter[connections] : sharing.writers;
            this.readers = sharing == null ? new MinLLPReader[connections] : sharing.readers;
            this.sequence = sharing == null ? new long[connections] : sharing.sequence;
        }

        /** {@link JitWarmUp}: at least {@code bench.warmup} seconds, until the JIT has settled. */
        void warmUp() throws Exception {
            warmedUp = JitWarmUp.warmUp(secs -> slice(secs, false, 0), warmup, warmupMax);
            System.out.printf(Locale.ROOT, "%s: warmed up in %.0f s (%.0f msgs/s at the end)%n", name, warmedUp,
                    lastRate);
        }

        /** Every connection sends for {@code secs}; recorded when {@code measured}. */
        void slice(int secs, boolean measured, int round) throws Exception {
            beforeSlice.run(); // before the slice's clocks and recording: not measured
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(secs).toNanos();
            long[] sent = sequence.clone();
            Recording recording = null;
            if (measured && jfr) {
                recording = new Recording(); // execution samples only: the "profile" settings cost half the rate
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
                recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
                recording.setName("ingest-" + name + "-" + round);
                recording.start();
            }
            long flushes0 = flushes == null ? 0 : flushes.getAsLong();
            ThreadGroupCpu.Snapshot threads0 = routeMetrics ? ThreadGroupCpu.now() : null;
            CpuSample cpu0 = CpuSample.now();
            long process0 = processCpuNanos();
            java.util.concurrent.atomic.AtomicLong generatorNanos = new java.util.concurrent.atomic.AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int conn = c;
                Thread t = new Thread(() -> {
                    send(conn, end, measured);
                    generatorNanos.addAndGet(THREADS.getCurrentThreadCpuTime()); // a new thread: all its CPU
                }, "bench-" + name + "-" + c);
                threads.add(t);
                t.start();
            }
            long mainNanos = 0;
            if (midSlice != null && (!measured || slices.size() % midSliceEvery == 0)) {
                Thread.sleep(Math.max(0, (start + (end - start) / 2 - System.nanoTime()) / 1_000_000));
                long main0 = THREADS.getCurrentThreadCpuTime();
                midSlice.run();
                mainNanos = THREADS.getCurrentThreadCpuTime() - main0;
            }
            for (Thread t : threads) {
                t.join();
            }
            CpuSample cpu1 = CpuSample.now();
            long process1 = processCpuNanos();
            // the broker's own Java threads (the generator's have ended, main is the benchmark's): no collector, no JIT
            long[] brokerThreads = threads0 == null ? new long[2] : brokerThreads(threads0, ThreadGroupCpu.now());
            long elapsed = System.nanoTime() - start;
            if (recording != null) {
                recording.stop();
                recording.dump(OUT.resolve("ingest-" + name + "-" + round + ".jfr"));
                recording.close();
            }
            if (measured) {
                measuredNanos += elapsed;
                foreignCpuWeighted += CpuSample.foreign(cpu0, cpu1) * elapsed;
                selfCpuTicks += cpu0 == null || cpu1 == null ? 0 : cpu1.self() - cpu0.self();
                flushCount += flushes == null ? 0 : flushes.getAsLong() - flushes0;
            }
            long done = 0;
            for (int c = 0; c < connections; c++) {
                done += sequence[c] - sent[c];
            }
            lastRate = done / (elapsed / 1e9);
            lastCpuMicros = done == 0 ? Double.NaN : (process1 - process0) / 1e3 / done;
            afterSlice.accept(done);
            if (measured) {
                slices.add(new long[] {done, process1 - process0, generatorNanos.get(), mainNanos, brokerThreads[0],
                        brokerThreads[1]});
            }
        }

        /** CPU (ns) and bytes allocated of every Java thread but the benchmark's main thread between two snapshots. */
        private long[] brokerThreads(ThreadGroupCpu.Snapshot before, ThreadGroupCpu.Snapshot after) {
            ThreadGroupCpu.Spent spent = ThreadGroupCpu.between(before, after);
            long nanos = spent.nanos().entrySet().stream().filter(e -> !"main".equals(e.getKey()))
                    .mapToLong(java.util.Map.Entry::getValue).sum();
            long bytes = spent.allocated().entrySet().stream().filter(e -> !"main".equals(e.getKey()))
                    .mapToLong(java.util.Map.Entry::getValue).sum();
            return new long[] {nanos, bytes};
        }

        private void send(int conn, long end, boolean measured) {
            while (true) {
                try {
                    if (sockets[conn] == null) {
                        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(30_000);
                        writers[conn] = new MinLLPWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1);
                        readers[conn] = new MinLLPReader(socket.getInputStream(), StandardCharsets.ISO_8859_1);
                        sockets[conn] = socket;
                    }
                    if (System.nanoTime() >= end) {
                        return; // before taking a sequence number: the slice's count is of messages sent
                    }
                    long seq = ++sequence[conn];
                    String control = name.charAt(0) + "-" + conn + "-" + seq;
                    String ssin = ssins[(int) ((seq * 31 + conn * 7919L) % ssins.length)];
                    String message = seq % 2 == 0 ? oru(control, ssin, "ORD-" + control)
                            : mdm(control, ssin, "DOC-" + control);
                    long t0 = System.nanoTime();
                    writers[conn].writeMessage(message);
                    String ack = readers[conn].getMessage();
                    long t1 = System.nanoTime();
                    if (measured) {
                        codes.computeIfAbsent(ackCode(ack, control), k -> new LongAdder()).increment();
                        if (counts[conn] == latencies[conn].length) {
                            latencies[conn] = Arrays.copyOf(latencies[conn], counts[conn] * 2);
                        }
                        latencies[conn][counts[conn]++] = t1 - t0;
                    }
                    if (ack == null) {
                        throw new IOException("connection closed without an answer");
                    }
                } catch (Exception e) {
                    errors.increment();
                    TestIo.closeQuietly(sockets[conn]);
                    sockets[conn] = null;
                    if (System.nanoTime() >= end) {
                        return;
                    }
                }
            }
        }

        void close() {
            for (Socket s : sockets) {
                TestIo.closeQuietly(s);
            }
        }

        Result result() {
            if (measuredNanos == 0) {
                return new Result(Double.NaN, Double.NaN, Double.NaN, 0, 0, Map.of(), Double.NaN, Double.NaN);
            }
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int at = 0;
            for (int c = 0; c < connections; c++) {
                System.arraycopy(latencies[c], 0, all, at, counts[c]);
                at += counts[c];
            }
            Arrays.sort(all);
            Map<String, Long> codeCounts = new TreeMap<>();
            codes.forEach((k, v) -> codeCounts.put(k, v.sum()));
            long notAa = codeCounts.entrySet().stream().filter(e -> !e.getKey().equals("AA") && !e.getKey().equals("CA"))
                    .mapToLong(Map.Entry::getValue).sum();
            return new Result(total / (measuredNanos / 1e9), percentile(all, 0.50), percentile(all, 0.99), notAa,
                    errors.sum(), codeCounts, foreignCpuWeighted / measuredNanos,
                    total == 0 ? Double.NaN : selfCpuTicks * 10_000.0 / total); // ticks of 10 ms
        }
    }

    /** This process's CPU time (all threads), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Exact percentile (nearest rank) of sorted nanosecond latencies, in milliseconds. */
    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** MSA-1 of an ACK, or a label for what went wrong (no answer, not an ACK, another message's ACK). */
    private static String ackCode(String ack, String control) {
        if (ack == null) {
            return "no-answer";
        }
        int msa = ack.indexOf("\rMSA|");
        if (msa < 0) {
            msa = ack.indexOf("\nMSA|");
        }
        if (msa < 0) {
            return "no-MSA";
        }
        int from = msa + 5;
        int bar = ack.indexOf('|', from);
        if (bar < 0) {
            return "bad-MSA";
        }
        String code = ack.substring(from, bar);
        int end = bar + 1;
        while (end < ack.length() && ack.charAt(end) != '|' && ack.charAt(end) != '\r' && ack.charAt(end) != '\n') {
            end++;
        }
        return ack.substring(bar + 1, end).equals(control) ? code : "wrong-MSA-2";
    }

    /** CPU time of the whole machine and of this process (Linux /proc), to tell how busy the neighbours were. */
    private record CpuSample(long total, long idle, long self) {

        static CpuSample now() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user..steal, not guest (counted in user)
                    total += Long.parseLong(cpu[i]);
                }
                long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long self = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                return new CpuSample(total, idle, self);
            } catch (Exception e) {
                return null;
            }
        }

        /** Share of all CPUs used by other processes between two samples (NaN off Linux). */
        static double foreign(CpuSample a, CpuSample b) {
            if (a == null || b == null || b.total <= a.total) {
                return Double.NaN;
            }
            long total = b.total - a.total;
            long busy = total - (b.idle - a.idle);
            return Math.max(0, busy - (b.self - a.self)) / (double) total;
        }
    }

    // ------------------------------------------------------------------------------------------------ the messages

    private static String msh(String type, String control) {
        return "MSH|^~\\&|BENCH-HIS|" + FACILITY + "|RECORD-BROKER|RECORD-BROKER|" + TS + "||" + type + "|" + control
                + "|P|2.5|||||||8859/1";
    }

    private static String pid(String ssin) {
        return "PID|1||" + ssin + "^^^BE-NN^NN~H" + ssin.substring(0, 6) + "^^^HOSP^MR||Benchpatient^Ann^^^^^L||"
                + "19800101|F|||Rue de la Loi 16^^Bruxelles^^1000^BE||+3225550101";
    }

    /** An MDM^T02 of about 2 KB: a consultation report with a small base64 PDF in an ED OBX. */
    private String mdm(String control, String ssin, String documentNumber) {
        return msh("MDM^T02^MDM_T02", control) + "\r"
                + "EVN|T02|" + TS + "\r"
                + pid(ssin) + "\r"
                + "PV1|1|O|CARD^101^1^" + FACILITY + "||||12345625004^Verstraeten^An\r"
                + "TXA|1|contactreport^Consultation report|AP|" + TS + "|12345625004^Verstraeten^An|" + TS + "||||||"
                + documentNumber + "|||||AU||AV\r"
                + "OBX|1|ED|contactreport^Consultation report^L||" + FACILITY + "^AP^PDF^Base64^" + pdfBase64
                + "||||||F\r";
    }

    private static String oru(String control, String ssin, String orderNumber) {
        return msh("ORU^R01^ORU_R01", control) + "\r"
                + pid(ssin) + "\r"
                + "OBR|1||" + orderNumber + "|LABPANEL^Blood panel^L|||" + TS + "|||||||||12345625004^Verstraeten^An\r"
                + "OBX|1|NM|718-7^Hemoglobin^LN||13.5|g/dL|12.0-16.0|N|||F\r"
                + "OBX|2|NM|6690-2^Leukocytes^LN||6.1|10*3/uL|4.0-10.0|N|||F\r"
                + "OBX|3|NM|777-3^Platelets^LN||250|10*3/uL|150-400|N|||F\r";
    }

    /** A valid SSIN (born 1960-1999, mod-97 check), different for each i below 40 * 12 * 28. */
    private static String ssin(int i) {
        int year = 1960 + i % 40;
        int month = 1 + (i / 40) % 12;
        int day = 1 + (i / 480) % 28;
        int counter = 1 + (i * 7) % 997;
        String first9 = String.format(Locale.ROOT, "%02d%02d%02d%03d", year % 100, month, day, counter);
        return first9 + String.format(Locale.ROOT, "%02d", 97 - Long.parseLong(first9) % 97);
    }

    /** The anchor's application: HAPI's own ACK for every message, nothing stored. */
    private static final class AckOnly implements ReceivingApplication<Message> {
        @Override
        public Message processMessage(Message message, Map<String, Object> metadata) {
            try {
                return message.generateACK();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean canProcess(Message message) {
            return true;
        }
    }

    // ------------------------------------------------------------------------------------------------ after the run

    /** Waits (bounded) until the declaring consumer has applied everything queued; reports "N of M". */
    private String drain(JdbcTemplate jdbc, org.apache.activemq.artemis.core.server.Queue queue)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(drainSeconds).toNanos();
        long appliedAtStart = count(jdbc, "hl7_applied");
        long queued = queue.getMessageCount();
        while (queue.getMessageCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        long applied = count(jdbc, "hl7_applied") - appliedAtStart;
        double waited = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "drain: %d applied in %.1f s (%.0f msgs/s)%n", applied, waited,
                applied / waited);
        return String.format(Locale.ROOT, "%d of %d queued (drain wait %.0f s of up to %d s, %.0f applied/s)", applied,
                queued, waited, drainSeconds, applied / waited);
    }

    private static long count(JdbcTemplate jdbc, String table) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        return n == null ? 0 : n;
    }

}
