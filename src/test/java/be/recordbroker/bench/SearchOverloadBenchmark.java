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
 * complete answer ≤ queue timeout + slowest hub timeout. Per step the process's CPU (client, broker and hubs share the
 * JVM) and, where 503s were given, the share of it the refusals took (CPU beyond the complete answers at the CPU each
 * cost in the last step without refusals). Broker overrides: {@code bench.broker.args} (key=value,...). Output to stdout and {@code target/bench/search-overload.txt}.
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
        List<String> brokerArgs = new ArrayList<>(List.of("--record-broker.warm-up.patient=" + WARM_UP_PATIENT,
                "--record-broker.warm-up.professional=" + SearchBenchmark.GP));
        brokerArgs.addAll(List.of(BenchBroker.overrides("bench.broker.args")));
        ConfigurableApplicationContext broker = BenchBroker.start(Path.of("target/bench-search-overload-data"),
                brokerArgs.toArray(String[]::new));
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
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
            double cpuPerCompleteBelow = Double.NaN; // from the last step without refusals
            List<Double> perCpuSecond = new ArrayList<>(); // complete answers per CPU-second of the process
            for (String step : steps.split(",")) {
                java.util.Map<String, Long> groupsStart = cpuByThreadGroup();
                long cpuStart = os.getProcessCpuTime();
                SearchLoad.Result r = SearchLoad.run(search, token, Integer.parseInt(step.trim()), Duration.ofSeconds(seconds));
                double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6;
                results.add(r);
                perCpuSecond.add(r.complete() / (cpuMs / 1000));
                line(report, r.line());
                // one JVM holds client, broker and hubs: CPU per answer is what the whole loop costs
                String cpu = String.format(Locale.ROOT, "      CPU %.0f ms/s of %d; %.2f ms per answer", cpuMs / r.seconds(),
                        Runtime.getRuntime().availableProcessors() * 1000, cpuMs / Math.max(1, r.complete() + r.refused()));
                if (r.refused() == 0 && r.complete() > 0) {
                    cpuPerCompleteBelow = cpuMs / r.complete();
                } else if (!Double.isNaN(cpuPerCompleteBelow) && r.refused() > 0) {
                    double refusalsMs = Math.max(0, cpuMs - r.complete() * cpuPerCompleteBelow);
                    cpu += String.format(Locale.ROOT, "; refusals ~%.0f%% of the CPU (~%.2f ms each, taking %.2f ms per"
                            + " complete answer from the last step without refusals)", 100 * refusalsMs / cpuMs,
                            refusalsMs / r.refused(), cpuPerCompleteBelow);
                }
                line(report, cpu + String.format(Locale.ROOT, "; load average %.1f", os.getSystemLoadAverage()));
                java.util.Map<String, Long> groups = cpuByThreadGroup();
                StringBuilder byGroup = new StringBuilder("      CPU by thread:");
                double counted = 0;
                for (var group : groups.entrySet()) {
                    double ms = (group.getValue() - groupsStart.getOrDefault(group.getKey(), 0L)) / 1e6;
                    counted += ms;
                    byGroup.append(String.format(Locale.ROOT, " %s %.0f%%", group.getKey(), 100 * ms / cpuMs));
                }
                // the load's threads have ended by now: theirs is what the live threads do not account for
                line(report, byGroup.append(String.format(Locale.ROOT, " client (ended threads) %.0f%%",
                        100 * (cpuMs - counted) / cpuMs)).toString());
                Thread.sleep(2000); // answers of the last step drain
            }
            SearchLoad.Result top = results.get(results.size() - 1);
            double bestBelow = results.subList(0, results.size() - 1).stream().mapToDouble(SearchLoad.Result::goodput)
                    .max().orElse(Double.NaN);
            double perCpuBelow = perCpuSecond.subList(0, perCpuSecond.size() - 1).stream().mapToDouble(d -> d).max()
                    .orElse(Double.NaN);
            line(report, String.format(Locale.ROOT, "complete answers per CPU-second at %d connections / best below:"
                    + " %.1f / %.1f = %.2f (on a shared machine, where the process gets what CPU it can)",
                    top.connections(), perCpuSecond.get(perCpuSecond.size() - 1), perCpuBelow,
                    perCpuSecond.get(perCpuSecond.size() - 1) / perCpuBelow));
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

    /**
     * CPU time so far of the live threads, by kind: Tomcat's request threads (the broker's faces and the sandbox hubs' endpoints), the hub-calling threads, the rest.
     */
    private static java.util.Map<String, Long> cpuByThreadGroup() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> cpu = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            String group = name.startsWith("http-nio-") ? "tomcat" : name.startsWith("search-") ? "hub-calls" : "other";
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                cpu.merge(group, nanos, Long::sum);
            }
        }
        return cpu;
    }

    private static void line(StringBuilder report, String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
