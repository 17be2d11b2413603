package be.recordbroker.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jdk.jfr.Recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.ConfigurableApplicationContext;

import be.recordbroker.fhir.DocumentReferences;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.network.Network;
import be.recordbroker.retrieve.RetrievalFixtures;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * The FHIR face against the REST face (issue 15, "Measure"), in one run, the REST face being the anchor; broker,
 * sandbox and clients in one JVM as in the search benchmark ({@link SearchBenchmark}'s patient, hubs and harness,
 * {@link ClosedLoop}):
 * <ol>
 *   <li><b>search</b>: {@code bench.clients} (32) closed-loop clients search the patient known to the three hubs
 *       (each answering after {@code bench.latency} ms) through {@code GET /api/v1/patients/{ssin}/documents} and
 *       through ITI-67 {@code GET /fhir/DocumentReference?patient.identifier=...}; each answer is checked (complete,
 *       three documents). First each face's capacity, closed loop (for information: at saturation the latency ratio is
 *       the CPU ratio), then both paced at one rate below saturation ({@code bench.search.load} × the REST capacity,
 *       {@link PacedLoad}), as the search benchmark measures the broker. Goal: FHIR p50 and p99 ≤ 1.05 × REST's.</li>
 *   <li><b>retrieve, calls</b>: the same clients fetch a small document ({@code bench.fhir.small} bytes, from the
 *       Brussels REST source) through {@code GET /api/v1/documents/{id}} and ITI-68 {@code GET /fhir/documents/{id}},
 *       the hubs at 0 ms so the machine's CPU, not a hub's delay, bounds the rate. Goal: FHIR calls/s ≥ 0.95 × REST's.</li>
 *   <li><b>retrieve, bytes</b>: one client downloads a {@code bench.fhir.size.mb} MB document through each face,
 *       {@code bench.fhir.rounds} rounds, REST, FHIR, FHIR, REST and FHIR, REST, REST, FHIR in turn; medians. Goal:
 *       FHIR MB/s ≥ 0.95 × REST's.</li>
 * </ol>
 * Each pair is measured as A-B-B-A halves after a warm-up of each face until the JIT has settled, so a neighbour's load
 * that grows or fades weighs on both alike. Every line gives the process CPU per call (broker, hubs, source and
 * clients: the clients' and hubs' share is the same for both faces, so the difference is the faces'). Output to stdout
 * and {@code target/bench/fhir.txt}.
 */
public final class FhirBenchmark {

    static final long MB = 1024L * 1024;

    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int warmupMax = Integer.getInteger("bench.warmup.max", 180);
    private final int clients = Integer.getInteger("bench.clients", 32);
    private final int latency = Integer.getInteger("bench.latency", 50);
    private final int small = Integer.getInteger("bench.fhir.small", 100_000);
    private final int sizeMb = Integer.getInteger("bench.fhir.size.mb", 256);
    private final int rounds = Integer.getInteger("bench.fhir.rounds", 5);
    /** Execution samples of each measured search or calls phase to {@code target/bench/fhir-<part>-<face>-<n>.jfr}. */
    private final boolean jfr = Boolean.getBoolean("bench.jfr");
    /** Which parts run (a profiling aid): any of search, calls, bytes. */
    private final List<String> parts = List.of(System.getProperty("bench.fhir.parts", "search,calls,bytes").split(","));
    private final StringBuilder report = new StringBuilder();
    private final ClosedLoop load = new ClosedLoop(clients, warmupMax, this::line);
    private final PacedLoad pacedLoad = new PacedLoad(clients);
    /** The search's paced rate: this share of the REST face's capacity (below saturation), as the search benchmark. */
    private final double loadFraction = Double.parseDouble(System.getProperty("bench.search.load", "0.5"));

    public static void main(String[] args) throws Exception {
        // keep-alive connections per host for HttpURLConnection (clients and hub calls alike), as the Docker image sets
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "128");
        }
        int status = 0;
        try {
            new FhirBenchmark().run();
        } catch (Throwable e) { // System.exit would otherwise swallow why the run stopped
            e.printStackTrace();
            status = 1;
        } finally {
            System.exit(status);
        }
    }

    void run() throws Exception {
        ConfigurableApplicationContext broker = BenchBroker.start(Path.of("target/bench-fhir-data"),
                BenchBroker.overrides("bench.broker.args"));
        try {
            String base = BenchBroker.base(broker);
            SearchBenchmark.setUp(broker.getBean(HubClients.class), broker.getBean(Network.class));
            String token = SearchBenchmark.token(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                    base);
            SandboxFaults faults = broker.getBean(SandboxFaults.class);
            line(String.format(Locale.ROOT, "FHIR vs REST benchmark: %d clients, hubs at %d ms for the search, warm-up"
                            + " %d s, %d s per face and measure, %d CPUs, max heap %d MB", clients, latency, warmup,
                    seconds, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / MB));
            if (parts.contains("search")) {
                search(base, token, faults);
            }
            if (parts.contains("calls")) {
                retrieveCalls(base, faults);
            }
            if (parts.contains("bytes")) {
                retrieveBytes(base);
            }
        } finally {
            broker.close();
        }
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/fhir.txt"), report);
    }

    // ------------------------------------------------------------------ 1. search

    void search(String base, String token, SandboxFaults faults) throws Exception {
        SearchBenchmark.hubLatency(faults, latency);
        Runnable rest = SearchBenchmark.restSearch(base, token);
        Runnable fhir = fhirSearch(base, token);
        load.warmUp("REST search", rest, warmup);
        load.warmUp("FHIR search", fhir, warmup);
        // capacity (closed loop, the clients without a pause until the machine saturates): for information, and the
        // paced rate; at saturation the clients queue for the cores, so the latency ratio there is the CPU ratio
        int third = Math.max(5, seconds / 3);
        ClosedLoop.Phase restCapacity = measure("search-rest-capacity", rest, third);
        ClosedLoop.Phase fhirCapacity = measure("search-fhir-capacity", fhir, third);
        double perSecond = Math.max(10, Math.floor(loadFraction * restCapacity.callsPerSecond() / 10) * 10);
        // the goal's figures: both faces paced at one rate below saturation, as the search benchmark measures the
        // broker against its floor (docs/benchmarks.md), REST, FHIR, FHIR, REST, half the time each
        int half = Math.max(1, seconds / 2);
        PacedLoad.Paced rest1 = pacedLoad.measure(rest, perSecond, half);
        PacedLoad.Paced fhir1 = pacedLoad.measure(fhir, perSecond, half);
        PacedLoad.Paced fhir2 = pacedLoad.measure(fhir, perSecond, half);
        PacedLoad.Paced rest2 = pacedLoad.measure(rest, perSecond, half);
        ClosedLoop.Phase pacedRest = rest1.phase().and(rest2.phase());
        ClosedLoop.Phase pacedFhir = fhir1.phase().and(fhir2.phase());
        long late = rest1.lateStarts() + rest2.lateStarts() + fhir1.lateStarts() + fhir2.lateStarts();
        int cpus = Runtime.getRuntime().availableProcessors();
        boolean belowSaturation = Math.max(pacedRest.cpuShare(), pacedFhir.cpuShare()) < 0.9
                && late <= 0.01 * (pacedRest.sorted().length + pacedFhir.sorted().length);
        line("1. search, one patient at three hubs (REST = anchor)");
        line(restCapacity.line("  capacity REST GET /api/v1/patients/{ssin}/documents "));
        line(fhirCapacity.line("  capacity FHIR GET /fhir/DocumentReference (ITI-67)  "));
        line(String.format(Locale.ROOT, "  at saturation (for information): FHIR/REST searches/s %.3f, p50 %.3f; CPU per"
                        + " call FHIR - REST %+.3f ms (%.2f x)",
                fhirCapacity.callsPerSecond() / restCapacity.callsPerSecond(),
                ratio(fhirCapacity.pct(50), restCapacity.pct(50)),
                (fhirCapacity.cpuPerCallNanos() - restCapacity.cpuPerCallNanos()) / 1e6,
                fhirCapacity.cpuPerCallNanos() / restCapacity.cpuPerCallNanos()));
        line(String.format(Locale.ROOT, "  paced at %.0f searches/s (bench.search.load %.2f x the REST capacity), REST,"
                + " FHIR, FHIR, REST, %d s each:", perSecond, loadFraction, half));
        line(pacedRest.line("  REST GET /api/v1/patients/{ssin}/documents "));
        line(pacedFhir.line("  FHIR GET /fhir/DocumentReference (ITI-67)  "));
        double p50 = ratio(pacedFhir.pct(50), pacedRest.pct(50));
        double p99 = ratio(pacedFhir.pct(99), pacedRest.pct(99));
        line(String.format(Locale.ROOT, "  ratio FHIR/REST at %.0f searches/s: p50 %.3f, p99 %.3f (goal <= 1.05 each) %s;"
                        + " CPU per call FHIR - REST %+.3f ms (%.2f x); %s", perSecond, p50, p99,
                verdict(p50 <= 1.05 && p99 <= 1.05),
                (pacedFhir.cpuPerCallNanos() - pacedRest.cpuPerCallNanos()) / 1e6,
                pacedFhir.cpuPerCallNanos() / pacedRest.cpuPerCallNanos(), belowSaturation
                        ? "below saturation: these are the faces' ratios"
                        : "NOT the faces' ratios: a paced phase saturated the machine or fell behind its pace"));
        // what decides it: each search waits for the hubs; only the CPU the machine cannot give at once adds to that
        line(String.format(Locale.ROOT, "  what decides it: paced, the process keeps %.0f%% (REST) / %.0f%% (FHIR) of the"
                        + " %d CPUs busy, %d of %d calls started over 5 ms late. Below saturation a search waits its"
                        + " hubs' %d ms (in parallel) plus its own CPU, and the faces differ by their CPU only; at"
                        + " saturation the %d clients queue for the cores, so latency grows with CPU per call and the"
                        + " p50 ratio tends to the CPU ratio (the capacity line); p99 adds the pauses (GC, JIT, a"
                        + " neighbour) that hit one phase and not the other.",
                100 * pacedRest.cpuShare(), 100 * pacedFhir.cpuShare(), cpus, late,
                pacedRest.sorted().length + pacedFhir.sorted().length, latency, clients));
    }

    /** ITI-67 for {@link SearchBenchmark#PATIENT}: a searchset Bundle with the three documents and no outcome entry. */
    static Runnable fhirSearch(String base, String token) {
        URI uri = URI.create(base + "/fhir/DocumentReference?patient.identifier="
                + URLEncoder.encode(DocumentReferences.SSIN_SYSTEM + "|" + SearchBenchmark.PATIENT, StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        return () -> {
            JsonNode bundle = SearchBenchmark.getJson(uri, token, json);
            int matches = 0;
            for (JsonNode entry : bundle.path("entry")) {
                if (!"match".equals(entry.path("search").path("mode").asText())) {
                    throw new IllegalStateException("incomplete answer: " + entry);
                }
                matches++;
            }
            if (!"searchset".equals(bundle.path("type").asText()) || bundle.path("total").asInt() != 3 || matches != 3) {
                throw new IllegalStateException("unexpected answer: " + bundle);
            }
        };
    }

    // ------------------------------------------------------------------ 2. retrieve, calls

    void retrieveCalls(String base, SandboxFaults faults) throws Exception {
        faults.clearAll(); // the hubs at 0 ms: the CPU, not the locate call's wait, bounds the rate
        RetrievalFixtures fixtures = new RetrievalFixtures(base);
        String patient = fixtures.patientWithGp();
        String token = fixtures.gpToken();
        String id = fixtures.declare(RetrievalFixtures.BRU, patient, "GEN-" + small + "-91", "dischargereport", null);
        Pair pair = pair("retrieve", download(base + "/api/v1/documents/" + id, token, small),
                download(base + "/fhir/documents/" + id, token, small));
        line(String.format(Locale.ROOT, "2. retrieve, a %d-byte document from the Brussels REST source, hubs at 0 ms"
                + " (REST = anchor)", small));
        line(pair.rest.line("  REST GET /api/v1/documents/{id}      "));
        line(pair.fhir.line("  FHIR GET /fhir/documents/{id} (ITI-68)"));
        double ratio = pair.fhir.callsPerSecond() / pair.rest.callsPerSecond();
        line(String.format(Locale.ROOT, "  ratio FHIR/REST calls/s: %.3f (goal >= 0.95) %s; CPU per call FHIR - REST"
                        + " %+.3f ms (%.2f x)", ratio, verdict(ratio >= 0.95),
                (pair.fhir.cpuPerCallNanos() - pair.rest.cpuPerCallNanos()) / 1e6,
                pair.fhir.cpuPerCallNanos() / pair.rest.cpuPerCallNanos()));
        line(String.format(Locale.ROOT, "  what decides it: nothing waits here but the CPU (%.0f%% / %.0f%% of the"
                        + " machine busy), so calls/s is about CPUs / CPU per call: the two faces share every stage"
                        + " (locate, gate, audit row, source, DocumentStreamer) and differ only in their servlet and"
                        + " refusal writer.", 100 * pair.rest.cpuShare(), 100 * pair.fhir.cpuShare()));
    }

    static Runnable download(String url, String token, long size) {
        return () -> {
            try {
                Downloads.download(url, token, size, null);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    // ------------------------------------------------------------------ 3. retrieve, bytes

    void retrieveBytes(String base) throws Exception {
        long size = sizeMb * MB;
        RetrievalFixtures fixtures = new RetrievalFixtures(base);
        String patient = fixtures.patientWithGp();
        String token = fixtures.gpToken();
        String id = fixtures.declare(RetrievalFixtures.BRU, patient, "GEN-" + size + "-92", "dischargereport", null);
        String rest = base + "/api/v1/documents/" + id;
        String fhir = base + "/fhir/documents/" + id;
        for (int i = 0; i < 2; i++) { // the streaming path is shared and warm from part 2; one of each to be sure
            Downloads.download(rest, token, size, null);
            Downloads.download(fhir, token, size, null);
        }
        List<Double> restMbs = new ArrayList<>();
        List<Double> fhirMbs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        long cpuRest = 0;
        long cpuFhir = 0;
        for (int i = 0; i < rounds; i++) {
            // REST, FHIR, FHIR, REST in even rounds and FHIR, REST, REST, FHIR in odd ones: neither face always goes
            // first or runs its two transfers back to back
            boolean restOutside = i % 2 == 0;
            String outer = restOutside ? rest : fhir;
            String inner = restOutside ? fhir : rest;
            long c0 = ClosedLoop.processCpuNanos();
            long a = Downloads.nanos(outer, token, size);
            long c1 = ClosedLoop.processCpuNanos();
            long b = Downloads.nanos(inner, token, size) + Downloads.nanos(inner, token, size);
            long c2 = ClosedLoop.processCpuNanos();
            a += Downloads.nanos(outer, token, size);
            long c3 = ClosedLoop.processCpuNanos();
            long restNanos = restOutside ? a : b;
            long fhirNanos = restOutside ? b : a;
            long outerCpu = (c1 - c0) + (c3 - c2);
            cpuRest += restOutside ? outerCpu : c2 - c1;
            cpuFhir += restOutside ? c2 - c1 : outerCpu;
            restMbs.add(2.0 * size / MB / (restNanos / 1e9));
            fhirMbs.add(2.0 * size / MB / (fhirNanos / 1e9));
            ratios.add((double) restNanos / fhirNanos);
        }
        line(String.format(Locale.ROOT, "3. retrieve, a %d MB document, one client (%d rounds, REST, FHIR, FHIR, REST and"
                + " FHIR, REST, REST, FHIR in turn; medians; REST = anchor)", sizeMb, rounds));
        line(String.format(Locale.ROOT, "  REST: %7.1f MB/s, process CPU %.2f ms per MB   rounds %s",
                Downloads.median(restMbs), cpuRest / 1e6 / (2.0 * rounds * sizeMb), Downloads.fmt(restMbs)));
        line(String.format(Locale.ROOT, "  FHIR: %7.1f MB/s, process CPU %.2f ms per MB   rounds %s",
                Downloads.median(fhirMbs), cpuFhir / 1e6 / (2.0 * rounds * sizeMb), Downloads.fmt(fhirMbs)));
        double ratio = Downloads.median(fhirMbs) / Downloads.median(restMbs);
        line(String.format(Locale.ROOT, "  ratio FHIR/REST MB/s: %.3f, median of the rounds' ratios %.3f (goal >= 0.95)"
                + " %s", ratio, Downloads.median(ratios), verdict(Downloads.median(ratios) >= 0.95)));
        line("  what decides it: one transfer keeps about one core busy copying (source socket -> one buffer -> caller"
                + " socket, in this JVM on both ends); both faces use the same DocumentStreamer, so only the machine's"
                + " other load moves the ratio.");
    }

    // ------------------------------------------------------------------ helpers

    record Pair(ClosedLoop.Phase rest, ClosedLoop.Phase fhir) {
    }

    /** Both faces warmed up, then REST, FHIR, FHIR, REST, half the time each. */
    Pair pair(String what, Runnable rest, Runnable fhir) throws Exception {
        load.warmUp("REST " + what, rest, warmup);
        load.warmUp("FHIR " + what, fhir, warmup);
        int half = Math.max(1, seconds / 2);
        ClosedLoop.Phase rest1 = measure(what + "-rest-1", rest, half);
        ClosedLoop.Phase fhir1 = measure(what + "-fhir-1", fhir, half);
        ClosedLoop.Phase fhir2 = measure(what + "-fhir-2", fhir, half);
        ClosedLoop.Phase rest2 = measure(what + "-rest-2", rest, half);
        return new Pair(rest1.and(rest2), fhir1.and(fhir2));
    }

    /** One measured phase, recorded with {@code bench.jfr} (execution samples only, as the ingest benchmark). */
    ClosedLoop.Phase measure(String name, Runnable action, int secs) throws Exception {
        if (!jfr) {
            return load.measure(action, secs);
        }
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.setName("fhir-" + name);
            recording.start();
            ClosedLoop.Phase phase = load.measure(action, secs);
            recording.stop();
            Files.createDirectories(Path.of("target/bench"));
            recording.dump(Path.of("target/bench/fhir-" + name + ".jfr"));
            return phase;
        }
    }

    static double ratio(long a, long b) {
        return a / (double) b;
    }

    static String verdict(boolean met) {
        return met ? "ok" : "MISSED";
    }

    void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
