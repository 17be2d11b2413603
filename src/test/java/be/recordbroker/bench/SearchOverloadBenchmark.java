package be.recordbroker.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.context.ConfigurableApplicationContext;

import be.recordbroker.admission.AdmissionProperties;
import be.recordbroker.config.SearchProperties;
import be.recordbroker.ops.WarmUp;
import be.recordbroker.search.SearchLoad;

/**
 * Search under overload (issue 13, "Measure"): the sandbox hubs at 0 ms, one GP searching one patient known to all
 * three through the REST face, closed loop (no pause after a 503, as autocannon), at rising concurrency
 * ({@code bench.overload.connections}, default 8,16,32,64,128,200) for {@code bench.overload.seconds} each, after
 * readiness (the broker's own warm-up) and one unmeasured round at 32. Goals printed as ratios in the same run:
 * goodput (complete answers/s) at the highest concurrency ≥ 0.9 × the best goodput at any lower one; the slowest
 * complete answer ≤ queue timeout + slowest hub timeout. Output to stdout and {@code target/bench/search-overload.txt}.
 */
public final class SearchOverloadBenchmark {

    private static final String PATIENT = SearchBenchmark.PATIENT;
    /** A seeded patient (Olivia): the benchmark's own is set up only after start, and the warm-up must not cache
     *  "no hub knows it" in the metahub cache before that. */
    private static final String WARM_UP_PATIENT = "78040814421";

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.overload.seconds", 20);
        String steps = System.getProperty("bench.overload.connections", "8,16,32,64,128,200");
        StringBuilder report = new StringBuilder();
        ConfigurableApplicationContext broker = BenchBroker.start(Path.of("target/bench-search-overload-data"),
                "--record-broker.warm-up.patient=" + WARM_UP_PATIENT, "--record-broker.warm-up.professional=" + SearchBenchmark.GP);
        try {
            WarmUp warmUp = broker.getBean(WarmUp.class);
            long waitStart = System.nanoTime();
            while (!warmUp.isDone()) {
                Thread.sleep(100);
            }
            SearchBenchmark.setUp(broker.getBean(be.recordbroker.kmehr.HubClients.class),
                    broker.getBean(be.recordbroker.network.Network.class));
            String base = "http://127.0.0.1:" + broker.getEnvironment().getProperty("local.server.port");
            String token = SearchBenchmark.token(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base);
            URI search = URI.create(base + "/api/v1/patients/" + PATIENT + "/documents");
            AdmissionProperties admission = broker.getBean(AdmissionProperties.class);
            SearchProperties searchProperties = broker.getBean(SearchProperties.class);
            Duration slowestHub = searchProperties.getHubTimeouts().values().stream()
                    .reduce(searchProperties.getTimeout(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            long boundMs = admission.getSearch().getQueueTimeout().plus(slowestHub).toMillis();
            line(report, String.format(Locale.ROOT, "search overload benchmark: hubs at 0 ms, %d s per step, %d CPUs,"
                            + " admission %d in flight + %d queued (%d ms), warm-up %.1f s after start",
                    seconds, Runtime.getRuntime().availableProcessors(), admission.getSearch().getMaxInFlight(),
                    admission.getSearch().getMaxQueued(), admission.getSearch().getQueueTimeout().toMillis(),
                    (System.nanoTime() - waitStart) / 1e9));
            SearchLoad.run(search, token, 32, Duration.ofSeconds(Math.min(seconds, 10))); // unmeasured
            List<SearchLoad.Result> results = new ArrayList<>();
            for (String step : steps.split(",")) {
                SearchLoad.Result r = SearchLoad.run(search, token, Integer.parseInt(step.trim()), Duration.ofSeconds(seconds));
                results.add(r);
                line(report, r.line());
                Thread.sleep(2000); // answers of the last step drain
            }
            SearchLoad.Result top = results.get(results.size() - 1);
            double bestBelow = results.subList(0, results.size() - 1).stream().mapToDouble(SearchLoad.Result::goodput)
                    .max().orElse(Double.NaN);
            long slowest = results.stream().mapToLong(SearchLoad.Result::maxCompleteMillis).max().orElse(-1);
            long incomplete = results.stream().mapToLong(r -> r.incomplete() + r.other() + r.refusedMalformed()).sum();
            line(report, String.format(Locale.ROOT, "goodput at %d connections / best below: %.2f (goal >= 0.90) %s",
                    top.connections(), top.goodput() / bestBelow, top.goodput() / bestBelow >= 0.9 ? "ok" : "MISSED"));
            line(report, String.format(Locale.ROOT, "slowest complete answer %d ms / bound (queue timeout + slowest hub"
                    + " timeout) %d ms: %.2f (goal <= 1) %s", slowest, boundMs, (double) slowest / boundMs,
                    slowest <= boundMs ? "ok" : "MISSED"));
            line(report, "answers neither complete nor a proper 503, all steps: " + incomplete
                    + (incomplete == 0 ? "" : " " + top.samples()));
            Files.createDirectories(Path.of("target/bench"));
            Files.writeString(Path.of("target/bench/search-overload.txt"), report);
        } finally {
            broker.close();
            System.exit(0);
        }
    }

    private static void line(StringBuilder report, String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
