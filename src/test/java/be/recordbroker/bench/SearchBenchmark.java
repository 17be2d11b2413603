package be.recordbroker.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.ConfigurableApplicationContext;

import be.fgov.ehealth.hubservices.core.v3.ConsentType;
import be.fgov.ehealth.hubservices.core.v3.DeclareTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.FolderType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.HCPartyIdType;
import be.fgov.ehealth.hubservices.core.v3.KmehrHeaderDeclareTransactionType;
import be.fgov.ehealth.hubservices.core.v3.PutPatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutTherapeuticLinkRequestType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.hubservices.core.v3.TherapeuticLinkType;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINK;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINKschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.SandboxSetup;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.network.Network;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * The federated search benchmark (docs/benchmarks.md): the three sandbox hubs answer GetTransactionList after 50 ms
 * each; 32 concurrent clients search one patient known to all three through the broker's REST face for 60 s. Anchors
 * measured in the same run with the same 32 clients: the floor (one direct GetTransactionList to one hub) and the
 * sequential baseline (the three hubs one after the other); and, to tell the broker's share from the cost of asking
 * three in-process hubs at once on this machine, the parallel fan-out done directly by the clients. Goals: broker
 * p50 ≤ 1.10× and p99 ≤ 1.5× the floor. Each line gives the process CPU per call (broker, hubs and clients). Each
 * phase is measured after a warm-up of its own that lasts until the JIT has settled ({@link JitWarmUp};
 * {@code bench.warmup} at least, {@code bench.warmup.max} at most).
 * Output to stdout and {@code target/bench/search.txt}.
 */
public final class SearchBenchmark {

    static final String GP = "12345625004";
    static final String PATIENT = "61031512350";

    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int warmupMax = Integer.getInteger("bench.warmup.max", 180);
    private final int clients = Integer.getInteger("bench.clients", 32);
    private final int latency = Integer.getInteger("bench.latency", 50);
    private final StringBuilder report = new StringBuilder();
    private final ClosedLoop load = new ClosedLoop(clients, warmupMax, this::line);

    public static void main(String[] args) throws Exception {
        // keep-alive connections per host for HttpURLConnection (clients and hub calls alike), as the Docker image sets
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "128");
        }
        try {
            new SearchBenchmark().run();
        } finally {
            System.exit(0);
        }
    }

    void run() throws Exception {
        Path data = Path.of("target/bench-search-data");
        // bench.broker.args: comma-separated key=value overrides for the broker, as in the ingest benchmark
        ConfigurableApplicationContext broker = BenchBroker.start(data, BenchBroker.overrides("bench.broker.args"));
        try {
            String base = BenchBroker.base(broker);
            HubClients hubs = broker.getBean(HubClients.class);
            setUp(hubs, broker.getBean(Network.class));
            String token = token(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base);
            hubLatency(broker.getBean(SandboxFaults.class), latency);
            Runnable brokerSearch = restSearch(base, token);
            Runnable floor = () -> list(hubs, "rsw");
            // what a broker that cost nothing would do: the three hubs at once, from the client, on this machine
            ExecutorService fanOut = Executors.newFixedThreadPool(3 * clients);
            Runnable parallel = () -> {
                List<Future<?>> calls = new ArrayList<>();
                for (String hub : List.of("rsb", "cozo", "rsw")) {
                    calls.add(fanOut.submit(() -> list(hubs, hub)));
                }
                try {
                    for (Future<?> call : calls) {
                        call.get();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Runnable sequential = () -> {
                list(hubs, "rsb");
                list(hubs, "cozo");
                list(hubs, "rsw");
            };
            line(String.format(Locale.ROOT, "search benchmark: %d clients, hubs at %d ms, warm-up %d s, %d s each, %d CPUs",
                    clients, latency, warmup, seconds, Runtime.getRuntime().availableProcessors()));
            // each phase right after a warm-up of its own, until the JIT has settled (JitWarmUp): the JIT recompiles
            // shared code (CXF, Tomcat) for the next phase's profile, and the broker's longer code path kept C2 busy
            // for a fifth of the machine 20 s into a 10-s warm-up
            if (Boolean.getBoolean("bench.broker.only")) { // a profiling aid: the broker phase alone, no ratios
                load.warmUp("broker", brokerSearch, warmup);
                line(load.measure(brokerSearch, seconds).line("broker (3 hubs, federated)  "));
                return;
            }
            load.warmUp("floor", floor, Math.max(2, warmup / 3));
            ClosedLoop.Phase floorLat = load.measure(floor, seconds / 3);
            load.warmUp("sequential", sequential, Math.max(2, warmup / 3));
            ClosedLoop.Phase seqLat = load.measure(sequential, seconds / 3);
            load.warmUp("parallel", parallel, Math.max(2, warmup / 3));
            ClosedLoop.Phase parallelLat = load.measure(parallel, seconds / 3);
            load.warmUp("broker", brokerSearch, warmup);
            ClosedLoop.Phase brokerLat = load.measure(brokerSearch, seconds);
            line(floorLat.line("floor (one hub, direct)     "));
            line(seqLat.line("sequential (3 hubs, direct) "));
            line(parallelLat.line("parallel (3 hubs, direct)   "));
            line(brokerLat.line("broker (3 hubs, federated)  "));
            line(String.format(Locale.ROOT, "ratio broker/floor: p50 %.2f (goal <= 1.10), p99 %.2f (goal <= 1.50);"
                            + " broker/sequential p50 %.2f", brokerLat.pct(50) / (double) floorLat.pct(50),
                    brokerLat.pct(99) / (double) floorLat.pct(99), brokerLat.pct(50) / (double) seqLat.pct(50)));
            line(String.format(Locale.ROOT, "ratio broker/parallel-direct (what the broker adds to the fan-out on this"
                    + " machine): p50 %.2f, p99 %.2f", brokerLat.pct(50) / (double) parallelLat.pct(50),
                    brokerLat.pct(99) / (double) parallelLat.pct(99)));
            line(String.format(Locale.ROOT, "CPU per search: broker %.2f ms, parallel direct %.2f ms: ratio %.2f"
                            + " (goal <= 1.30), at %.0f searches/s with this process %.0f%% of the machine",
                    brokerLat.cpuPerCallNanos() / 1e6, parallelLat.cpuPerCallNanos() / 1e6,
                    brokerLat.cpuPerCallNanos() / parallelLat.cpuPerCallNanos(), brokerLat.callsPerSecond(),
                    100 * brokerLat.cpuShare()));
            fanOut.shutdown();
            line(String.format(Locale.ROOT, "ratio broker p99 / 50 ms nominal floor: %.2f",
                    brokerLat.pct(99) / (latency * 1e6)));
        } finally {
            broker.close();
        }
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/search.txt"), report);
    }

    /**
     * One search of {@link #PATIENT} through the REST face, its answer checked (complete, the three documents). The same
     * client stack as the hub calls of the anchors (HttpURLConnection, kept alive): java.net.http's selector and worker
     * hand-offs would be counted against the broker only.
     */
    static Runnable restSearch(String base, String token) {
        URI searchUri = URI.create(base + "/api/v1/patients/" + PATIENT + "/documents");
        ObjectMapper json = new ObjectMapper();
        return () -> {
            JsonNode body = getJson(searchUri, token, json);
            if (!body.path("complete").asBoolean() || body.path("total").asInt() != 3) {
                throw new IllegalStateException("unexpected answer: " + body);
            }
        };
    }

    /** GET with the bearer token on a kept-alive HttpURLConnection; the answer's JSON, which must come with a 200. */
    static JsonNode getJson(URI uri, String token, ObjectMapper json) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) uri.toURL().openConnection();
            c.setRequestProperty("Authorization", "Bearer " + token);
            c.setConnectTimeout(5000);
            c.setReadTimeout(30_000);
            int status = c.getResponseCode();
            JsonNode body;
            try (java.io.InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                body = json.readTree(in);
            }
            if (status != 200) {
                throw new IllegalStateException("unexpected answer " + status + ": " + body);
            }
            return body;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The three sandbox hubs answer after {@code latencyMs}, as real hubs would. */
    static void hubLatency(SandboxFaults faults, int latencyMs) {
        for (String hub : List.of("rsb", "cozo", "rsw")) {
            faults.set(hub, new SandboxFaults.Faults(latencyMs, 0.0, false));
        }
    }

    static void list(HubClients hubs, String hub) {
        GetTransactionListRequestType request = new GetTransactionListRequestType();
        request.setRequest(Kmehr.requestList(gp(), OffsetDateTime.now()));
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient(PATIENT));
        request.setSelect(select);
        if (!hubs.hub(hub).getTransactionList(request).getAcknowledge().isIscomplete()) {
            throw new IllegalStateException("hub " + hub + " refused the list");
        }
    }

    static HcpartyType gp() {
        return Kmehr.professionalParty(GP, null, "persphysician", "An", "Verstraeten");
    }

    /** One patient with consent, a GP link and one document (of a different type) at each of the three hubs. */
    static void setUp(HubClients hubs, Network network) {
        SandboxSetup setup = new SandboxSetup(hubs, network);
        setup.consent(PATIENT);
        setup.link(PATIENT, GP, "gpconsultation", LocalDate.now().minusMonths(1));
        setup.declare("rsb", PATIENT, "BENCH-rsb", "sumehr", null);
        setup.declare("cozo", PATIENT, "BENCH-cozo", "labresult", null);
        setup.declare("rsw", PATIENT, "BENCH-rsw", "contactreport", null);
    }

    static String token(HttpClient http, String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"nihii\":\"" + GP
                        + "\",\"profession\":\"persphysician\",\"name\":\"An Verstraeten\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).path("token").asText();
    }

    void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

}
