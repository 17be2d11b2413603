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
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.ConfigurableApplicationContext;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.SandboxSetup;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.network.Network;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * The federated search benchmark (docs/benchmarks.md). The sandbox network (three hubs answering GetTransactionList
 * after 50 ms each, the metahub) runs in a JVM of its own ({@link SandboxHubsJvm}); the broker and the 32 clients in
 * this one, so that what each process spends is measured apart ({@link ProcCpu}: the same /proc counters for both).
 * First the broker's capacity: closed loop, the clients searching without a pause until the machine saturates (for
 * information). Then, paced at one arrival rate ({@code bench.search.rate} searches/s, or by default
 * {@code bench.search.load} = 0.5 of that capacity: below saturation), the same 32 clients run the anchors — the floor
 * (one direct GetTransactionList to one hub) and the parallel fan-out done by the clients themselves (the three hubs at
 * once: a broker that cost nothing) — and the broker (one patient known to all three hubs, through the REST face). The
 * fan-out and the broker run in {@code bench.search.rounds} (3) rounds of parallel, broker, broker, parallel, so that a
 * collection or a burst of the JIT weighs on both sides alike; the CPU ratio is also given net of both JVMs' JIT
 * compiler threads (code the warm-up left uncompiled: a single 15-s phase swung by ±30 % with it).
 * Goals: broker p50 ≤ 1.05× and p99 ≤ 1.20× the floor; CPU per search (both JVMs) ≤ 1.30× the direct parallel
 * fan-out's. Every phase prints each process's CPU per call and cores busy, the rest of the machine's, and the load
 * average, so that the output says what saturates. Each phase is measured after a warm-up of its own that lasts until
 * the JIT of both JVMs has settled ({@link JitWarmUp}; {@code bench.warmup} at least, {@code bench.warmup.max} at most).
 * Output to stdout and {@code target/bench/search.txt}.
 */
public final class SearchBenchmark {

    static final String GP = "12345625004";
    static final String PATIENT = "61031512350";

    private static final double LATENCY_P50_GOAL = 1.05;
    private static final double LATENCY_P99_GOAL = 1.20;
    private static final double CPU_GOAL = 1.30;
    /** A machine busier than this share of its CPUs is saturated: requests queue for a core. */
    private static final double SATURATED = 0.9;

    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int warmupMax = Integer.getInteger("bench.warmup.max", 180);
    private final int clients = Integer.getInteger("bench.clients", 32);
    private final int latency = Integer.getInteger("bench.latency", 50);
    /** Searches (and anchor calls) a second in the paced phases; 0: {@link #loadFraction} of the measured capacity. */
    private final double rate = Double.parseDouble(System.getProperty("bench.search.rate", "0"));
    private final double loadFraction = Double.parseDouble(System.getProperty("bench.search.load", "0.5"));
    /** Rounds of parallel, broker, broker, parallel (each phase half of {@code bench.seconds}) for the CPU ratio. */
    private final int rounds = Integer.getInteger("bench.search.rounds", 3);
    private final List<String> hubsJvmOptions = List.of(System.getProperty("bench.search.hubs.jvmArgs",
            "-XX:+UseZGC -Xms1g -Xmx1g").strip().split("\\s+"));
    private final int machineCpus = ProcCpu.machineCpus();
    private final StringBuilder report = new StringBuilder();
    private final ClosedLoop closedLoop = new ClosedLoop(clients, warmupMax, this::line);
    private final PacedLoad pacedLoad = new PacedLoad(clients);
    private SandboxHubsJvm hubsJvm;
    /** Both JVMs' background without load, measured once after the capacity phase. */
    private Cpu idle;
    private final java.util.concurrent.atomic.AtomicLong warmUpFailures = new java.util.concurrent.atomic.AtomicLong();

    /** CPU time so far of this JVM (broker and clients), of the hubs' JVM and of the whole machine, and when. */
    record Cpu(long brokerJvm, long hubsJvm, long machine, long wall, long brokerJit, long hubsJit) {

        Cpu plus(Cpu other) {
            return new Cpu(brokerJvm + other.brokerJvm, hubsJvm + other.hubsJvm, machine + other.machine,
                    wall + other.wall, brokerJit + other.brokerJit, hubsJit + other.hubsJit);
        }

        Cpu since(Cpu before) {
            return new Cpu(brokerJvm - before.brokerJvm, hubsJvm - before.hubsJvm, machine - before.machine,
                    wall - before.wall, brokerJit - before.brokerJit, hubsJit - before.hubsJit);
        }

        /** Everything else the machine ran meanwhile (the neighbours; never below zero, the counters tick apart). */
        long rest() {
            return Math.max(0, machine - brokerJvm - hubsJvm);
        }

        double cores(long nanos) {
            return nanos / (double) wall;
        }
    }

    /** A measured phase: the clients' latencies, the CPU of each process over it, late starts and the load average. */
    record Measured(ClosedLoop.Phase latencies, Cpu cpu, long lateStarts, String loadAverage,
                    ThreadGroupCpu.Spent brokerJvmThreads) {

        double msPerCall(long nanos) {
            return nanos / 1e6 / calls();
        }

        double brokerJvmMs() {
            return msPerCall(cpu.brokerJvm());
        }

        double hubsJvmMs() {
            return msPerCall(cpu.hubsJvm());
        }

        double bothMs() {
            return msPerCall(cpu.brokerJvm() + cpu.hubsJvm());
        }

        /** Both JVMs' JIT compiler threads per call: what the warm-up had not yet compiled. */
        double jitMs() {
            return msPerCall(cpu.brokerJit() + cpu.hubsJit());
        }

        double netOfJitMs() {
            return bothMs() - jitMs();
        }

        int calls() {
            return Math.max(1, latencies.sorted().length);
        }

        /** The broker JVM's collector threads per call. */
        double collectorMs() {
            return msPerCall(brokerJvmThreads.vmNanos().getOrDefault(ProcCpu.COLLECTOR, 0L));
        }

        /** Bytes the broker JVM's threads allocated over the phase. */
        double allocatedBytes() {
            return brokerJvmThreads.allocated().values().stream().mapToLong(Long::longValue).sum();
        }

        /** Two phases of the same action as one: calls, CPU, late starts and thread groups summed. */
        Measured and(Measured other) {
            return new Measured(latencies.and(other.latencies), cpu.plus(other.cpu), lateStarts + other.lateStarts,
                    other.loadAverage, brokerJvmThreads.plus(other.brokerJvmThreads));
        }
    }

    public static void main(String[] args) throws Exception {
        // keep-alive connections per host for HttpURLConnection (clients and hub calls alike), as the Docker image sets
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "128");
        }
        int status = 0;
        try {
            new SearchBenchmark().run();
        } catch (Throwable e) { // printed here: System.exit below would end the JVM before the exception is reported
            e.printStackTrace();
            status = 1;
        } finally {
            System.exit(status);
        }
    }

    void run() throws Exception {
        line(String.format(Locale.ROOT, "search benchmark: %d clients, hubs at %d ms, warm-up %d s (at most %d), %d s"
                        + " measured for the broker; machine: %d CPUs (%d for this JVM), %s, load average %s; Java %s (%s)",
                clients, latency, warmup, warmupMax, seconds, machineCpus, Runtime.getRuntime().availableProcessors(),
                ProcCpu.cpuModel(), ProcCpu.loadAverage(), Runtime.version(), System.getProperty("java.vm.name")));
        try {
            hubsJvm = SandboxHubsJvm.start(Path.of("target/bench-search-hubs-data"), hubsJvmOptions,
                    Path.of("target/bench/search-hubs.log"));
            List<String> brokerArgs = new ArrayList<>(hubsJvm.brokerArguments(Path.of("config/network.yaml"),
                    Path.of("target/bench")));
            // bench.broker.args: comma-separated key=value overrides for the broker, as in the ingest benchmark
            brokerArgs.addAll(List.of(BenchBroker.overrides("bench.broker.args")));
            // both JVMs start at once: the broker calls no hub before the benchmark's set-up
            ConfigurableApplicationContext broker = BenchBroker.start(Path.of("target/bench-search-data"),
                    brokerArgs.toArray(String[]::new));
            try {
                hubsJvm.awaitAnswering();
                measure(broker);
            } finally {
                broker.close();
            }
        } finally {
            if (hubsJvm != null) {
                hubsJvm.close();
            }
            Files.createDirectories(Path.of("target/bench"));
            Files.writeString(Path.of("target/bench/search.txt"), report);
        }
    }

    private void measure(ConfigurableApplicationContext broker) throws Exception {
        line(String.format(Locale.ROOT, "processes: broker JVM = this one (pid %d: the broker, its %d clients, and in the"
                        + " direct phases the clients' own hub calls; %s), hubs JVM = the sandbox network (pid %d: %s;"
                        + " a broker with the sandbox whose broker side idles); CPU from /proc, user + system, all threads",
                ProcessHandle.current().pid(), clients, String.join(" ", jvmOptions()), hubsJvm.pid(),
                String.join(" ", hubsJvmOptions)));
        String base = BenchBroker.base(broker);
        HubClients hubs = broker.getBean(HubClients.class);
        setUp(hubs, broker.getBean(Network.class));
        String token = token(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base);
        hubsJvm.hubLatency(latency);

        Runnable brokerSearch = restSearch(base, token);
        Runnable floor = () -> list(hubs, "rsw");
        // what a broker that cost nothing would do: the three hubs at once, from the client
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
        try {
            // the broker first, closed loop: its capacity, and its long warm-up (about two minutes on 2 cores) also
            // warms the hubs' JVM, which serves every phase the same GetTransactionList
            warmUp("broker (closed loop)", s -> closedLoop.measure(tolerant(brokerSearch), s), warmup);
            Measured capacity = closed(brokerSearch, Math.max(5, seconds / 3));
            line(phaseLine("capacity: broker, closed loop", capacity));
            // each JVM's background (timers, metrics, the journal), once the JIT has settled: it counts in every phase;
            // taken 3 s after the load, when the collector's and compiler's tail of the capacity phase is over
            Thread.sleep(3000);
            Cpu idleStart = cpuNow();
            Thread.sleep(5000);
            idle = cpuNow().since(idleStart);
            line(String.format(Locale.ROOT, "idle (5 s, no load): cores busy: broker JVM %.2f, hubs JVM %.2f, rest of"
                    + " the machine %.2f; of which JIT compilers %.2f", idle.cores(idle.brokerJvm()),
                    idle.cores(idle.hubsJvm()), idle.cores(idle.rest()), idle.cores(idle.brokerJit() + idle.hubsJit())));
            double perSecond = rate > 0 ? rate
                    : Math.max(10, Math.floor(loadFraction * capacity.latencies().callsPerSecond() / 10) * 10);
            line(String.format(Locale.ROOT, "paced phases at %.0f calls/s (%s), the %d clients sharing one schedule",
                    perSecond, rate > 0 ? "bench.search.rate"
                            : String.format(Locale.ROOT, "bench.search.load %.2f × the capacity %.0f/s", loadFraction,
                            capacity.latencies().callsPerSecond()), clients));
            // each phase right after a warm-up of its own, until the JIT has settled (JitWarmUp): the JIT recompiles
            // shared code (CXF, Tomcat) for the next phase's profile
            if (Boolean.getBoolean("bench.broker.only")) { // a profiling aid: the broker alone, no ratios
                warmUp("broker (paced)", s -> pacedLoad.measure(tolerant(brokerSearch), perSecond, s), Math.max(2, warmup / 3));
                line(phaseLine("broker (3 hubs, federated)", paced(brokerSearch, perSecond, seconds)));
                return;
            }
            int anchorSeconds = Math.max(5, seconds / 2);
            warmUp("floor", s -> pacedLoad.measure(tolerant(floor), perSecond, s), Math.max(2, warmup / 3));
            Measured floorPhase = paced(floor, perSecond, anchorSeconds);
            line(phaseLine("floor (one hub, direct)", floorPhase));
            warmUp("parallel", s -> pacedLoad.measure(tolerant(parallel), perSecond, s), Math.max(2, warmup / 3));
            warmUp("broker (paced)", s -> pacedLoad.measure(tolerant(brokerSearch), perSecond, s), Math.max(2, warmup / 3));
            // the anchor and the broker in rounds of parallel, broker, broker, parallel: a collection or a burst of the
            // JIT falls on both sides alike, and the rounds' spread shows what one phase alone cannot
            Measured parallelPhase = null;
            Measured brokerPhase = null;
            List<Double> roundRatios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Measured p1 = paced(parallel, perSecond, anchorSeconds);
                Measured b1 = paced(brokerSearch, perSecond, anchorSeconds);
                Measured b2 = paced(brokerSearch, perSecond, anchorSeconds);
                Measured p2 = paced(parallel, perSecond, anchorSeconds);
                Measured roundParallel = p1.and(p2);
                Measured roundBroker = b1.and(b2);
                roundRatios.add(roundBroker.netOfJitMs() / roundParallel.netOfJitMs());
                line(String.format(Locale.ROOT, "  round %d: CPU per search broker %.2f ms (JIT %.2f), direct parallel"
                                + " %.2f ms (JIT %.2f): ratio %.2f, net of JIT %.2f", round, roundBroker.bothMs(),
                        roundBroker.jitMs(), roundParallel.bothMs(), roundParallel.jitMs(),
                        roundBroker.bothMs() / roundParallel.bothMs(), roundRatios.get(roundRatios.size() - 1)));
                parallelPhase = parallelPhase == null ? roundParallel : parallelPhase.and(roundParallel);
                brokerPhase = brokerPhase == null ? roundBroker : brokerPhase.and(roundBroker);
            }
            line(phaseLine("parallel (3 hubs, direct), all rounds", parallelPhase));
            line(phaseLine("broker (3 hubs, federated), all rounds", brokerPhase));
            line(String.format(Locale.ROOT, "  the rounds' ratios net of JIT: %s", roundRatios.stream()
                    .map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(java.util.stream.Collectors.joining(", "))));
            summary(perSecond, capacity, floorPhase, parallelPhase, brokerPhase);
        } finally {
            fanOut.shutdown();
        }
    }

    private void summary(double perSecond, Measured capacity, Measured floor, Measured parallel, Measured broker) {
        ClosedLoop.Phase b = broker.latencies();
        double p50 = b.pct(50) / (double) floor.latencies().pct(50);
        double p99 = b.pct(99) / (double) floor.latencies().pct(99);
        double cpu = broker.bothMs() / parallel.bothMs();
        line(String.format(Locale.ROOT, "== summary: %d clients paced at %.0f calls/s; %d CPUs; load average %s ==",
                clients, perSecond, machineCpus, ProcCpu.loadAverage()));
        boolean belowSaturation = Stream.of(floor, parallel, broker).noneMatch(this::saturatedOrBehind);
        line(String.format(Locale.ROOT, "latency broker/floor at %.0f searches/s: p50 %.2f (goal <= %.2f) %s, p99 %.2f"
                        + " (goal <= %.2f) %s; %s", perSecond, p50, LATENCY_P50_GOAL, verdict(p50 <= LATENCY_P50_GOAL),
                p99, LATENCY_P99_GOAL, verdict(p99 <= LATENCY_P99_GOAL), belowSaturation
                        ? "the paced phases kept their pace below saturation: these are the broker's ratios"
                        : "NOT the broker's ratios: a paced phase saturated the machine or fell behind its pace (below)"));
        line(String.format(Locale.ROOT, "latency broker/parallel-direct (what the broker adds to the fan-out): p50 %.2f,"
                        + " p99 %.2f; broker p99 / %d ms nominal floor %.2f",
                b.pct(50) / (double) parallel.latencies().pct(50), b.pct(99) / (double) parallel.latencies().pct(99),
                latency, b.pct(99) / (latency * 1e6)));
        line(String.format(Locale.ROOT, "CPU per search, both JVMs (broker JVM with its clients + hubs JVM): broker"
                        + " %.2f ms, direct parallel fan-out %.2f ms: ratio %.2f (goal <= %.2f) %s", broker.bothMs(),
                parallel.bothMs(), cpu, CPU_GOAL, verdict(cpu <= CPU_GOAL)));
        double netOfJit = broker.netOfJitMs() / parallel.netOfJitMs();
        line(String.format(Locale.ROOT, "  net of JIT compilation (both JVMs' compiler threads, %.2f ms per search in the"
                        + " broker phase, %.2f in the direct one: code the warm-up had not compiled yet, which a broker"
                        + " running for days has): broker %.2f ms, direct parallel %.2f ms: ratio %.2f (goal <= %.2f) %s",
                broker.jitMs(), parallel.jitMs(), broker.netOfJitMs(), parallel.netOfJitMs(), netOfJit, CPU_GOAL,
                verdict(netOfJit <= CPU_GOAL)));
        // ZGC collects lazily: a cycle that starts in one phase also collects what the phases before it allocated (in
        // the rounds, each broker phase follows a direct one), so the broker JVM's collector CPU of both sides is
        // shared by the bytes each side allocated
        double brokerGcMs = broker.collectorMs();
        double parallelGcMs = parallel.collectorMs();
        double bothGcMs = (brokerGcMs * broker.calls() + parallelGcMs * parallel.calls());
        double brokerBytes = broker.allocatedBytes();
        double parallelBytes = parallel.allocatedBytes();
        double brokerFairGcMs = bothGcMs * brokerBytes / Math.max(1, brokerBytes + parallelBytes) / broker.calls();
        double parallelFairGcMs = bothGcMs * parallelBytes / Math.max(1, brokerBytes + parallelBytes) / parallel.calls();
        double brokerShared = broker.netOfJitMs() - brokerGcMs + brokerFairGcMs;
        double parallelShared = parallel.netOfJitMs() - parallelGcMs + parallelFairGcMs;
        line(String.format(Locale.ROOT, "  net of JIT, the broker JVM's collector shared by bytes allocated (measured in"
                        + " the broker phases %.2f ms per search, in the direct ones %.2f; allocated %.0f / %.0f KB per"
                        + " search, so shared %.2f / %.2f): broker %.2f ms, direct parallel %.2f ms: ratio %.2f (goal <="
                        + " %.2f) %s", brokerGcMs, parallelGcMs, brokerBytes / broker.calls() / 1024,
                parallelBytes / parallel.calls() / 1024, brokerFairGcMs, parallelFairGcMs, brokerShared,
                parallelShared, brokerShared / parallelShared, CPU_GOAL, verdict(brokerShared / parallelShared <= CPU_GOAL)));
        // the idle figure without the JIT: right after the capacity phase the compilers are still at work
        double idleCores = idle.cores(idle.brokerJvm() + idle.hubsJvm() - idle.brokerJit() - idle.hubsJit());
        line(String.format(Locale.ROOT, "  net of JIT and of both JVMs' idle background without JIT (%.2f cores, which"
                        + " weighs more per call the lower the rate): broker %.2f ms, direct parallel %.2f ms: ratio %.2f",
                idleCores,
                netMs(broker, idleCores), netMs(parallel, idleCores), netMs(broker, idleCores) / netMs(parallel, idleCores)));
        line(String.format(Locale.ROOT, "  broker JVM alone (broker + clients / clients calling the three hubs): %.2f ms"
                        + " / %.2f ms = %.2f; hubs JVM alone: %.2f ms / %.2f ms = %.2f; floor %.2f ms both JVMs",
                broker.brokerJvmMs(), parallel.brokerJvmMs(), broker.brokerJvmMs() / parallel.brokerJvmMs(),
                broker.hubsJvmMs(), parallel.hubsJvmMs(), broker.hubsJvmMs() / parallel.hubsJvmMs(), floor.bothMs()));
        line("what saturates: at capacity (closed loop, " + String.format(Locale.ROOT, "%.0f searches/s",
                capacity.latencies().callsPerSecond()) + ") " + saturation(capacity));
        pacedSaturation("floor", floor);
        pacedSaturation("parallel", parallel);
        pacedSaturation("broker", broker);
    }

    private void pacedSaturation(String phase, Measured m) {
        line(String.format(Locale.ROOT, "  paced %s: %s%s", phase, saturation(m), m.lateStarts() == 0 ? ""
                : String.format(Locale.ROOT, "; %d calls (%.1f%%) started over 5 ms late (every client busy, or no"
                        + " core free to wake one: the pace was not kept)",
                m.lateStarts(), 100.0 * m.lateStarts() / m.latencies().sorted().length)));
    }

    /** Both JVMs' CPU per call less their JIT and less what they spend idle (JIT aside) over the same time. */
    private static double netMs(Measured m, double idleCores) {
        return m.netOfJitMs() - idleCores * m.cpu().wall() / 1e6 / Math.max(1, m.latencies().sorted().length);
    }

    /** Saturated (see {@link #saturation}), or more than 1% of its calls started late. */
    private boolean saturatedOrBehind(Measured m) {
        return m.cpu().cores(m.cpu().machine()) / machineCpus >= SATURATED
                || m.lateStarts() > 0.01 * m.latencies().sorted().length;
    }

    /** How busy the machine was and who kept it busy; saturated when {@link #SATURATED} of its CPUs were. */
    private String saturation(Measured m) {
        Cpu c = m.cpu();
        double busy = c.cores(c.machine()) / machineCpus;
        String busiest = c.brokerJvm() >= c.hubsJvm() && c.brokerJvm() >= c.rest() ? "broker JVM"
                : c.hubsJvm() >= c.rest() ? "hubs JVM" : "rest of the machine";
        return String.format(Locale.ROOT, "machine %.0f%% busy (broker JVM %.2f, hubs JVM %.2f, rest %.2f of %d cores),"
                        + " %s: %s", 100 * busy, c.cores(c.brokerJvm()), c.cores(c.hubsJvm()), c.cores(c.rest()),
                machineCpus, busy >= SATURATED ? "SATURATED, busiest: the " + busiest
                        + " (latencies there measure the queue for the cores)" : "not saturated (busiest: the " + busiest + ")",
                "load average " + m.loadAverage());
    }

    private static String verdict(boolean met) {
        return met ? "ok" : "MISSED";
    }

    private String phaseLine(String label, Measured m) {
        ClosedLoop.Phase p = m.latencies();
        Cpu c = m.cpu();
        return String.format(Locale.ROOT, "%-30s: %6d calls, %6.1f/s, p50 %6.1f ms, p99 %6.1f ms, %d late starts%n"
                        + "    CPU per call: broker JVM %.2f ms + hubs JVM %.2f ms = %.2f ms; cores busy: broker JVM %.2f,"
                        + " hubs JVM %.2f, rest of the machine %.2f (of %d); load average %s%n"
                + "    broker JVM CPU per call by thread group: %s%n"
                + "      of which the JVM's own threads: %s%n"
                + "    broker JVM allocated per call: %s", label,
                p.sorted().length, p.callsPerSecond(), p.pct(50) / 1e6, p.pct(99) / 1e6, m.lateStarts(),
                m.brokerJvmMs(), m.hubsJvmMs(), m.bothMs(), c.cores(c.brokerJvm()), c.cores(c.hubsJvm()),
                c.cores(c.rest()), machineCpus, m.loadAverage(),
                ThreadGroupCpu.perCall(m.brokerJvmThreads().nanos(), c.brokerJvm(), p.sorted().length, 8),
                ThreadGroupCpu.vmPerCall(m.brokerJvmThreads().vmNanos(), p.sorted().length),
                ThreadGroupCpu.allocatedPerCall(m.brokerJvmThreads().allocated(), p.sorted().length, 4));
    }

    private void warmUp(String phase, JitWarmUp.Load load, int minSeconds) throws Exception {
        double took = JitWarmUp.warmUp(load, minSeconds, warmupMax, hubsJvm::compilerNanos);
        line(String.format(Locale.ROOT, "  %s warmed up in %.0f s (both JVMs' JIT quiet, or %d s at most)%s", phase, took,
                warmupMax, warmUpFailures.get() == 0 ? "" : "; " + warmUpFailures.get() + " calls failed meanwhile"
                        + " (e.g. a hub past the search's deadline while cold on a busy machine)"));
        warmUpFailures.set(0);
    }

    /**
     * The action for a warm-up: a failure is counted, not fatal (cold code on a busy machine can take a hub past its
     * deadline); the measured phases keep every answer's check strict.
     */
    private Runnable tolerant(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                warmUpFailures.incrementAndGet();
            }
        };
    }

    private Measured closed(Runnable action, int forSeconds) throws Exception {
        ThreadGroupCpu.Snapshot threads = ThreadGroupCpu.now();
        Cpu before = cpuNow();
        ClosedLoop.Phase phase = closedLoop.measure(action, forSeconds);
        Cpu cpu = cpuNow().since(before);
        return new Measured(phase, cpu, 0, ProcCpu.loadAverage(), ThreadGroupCpu.between(threads, ThreadGroupCpu.now()));
    }

    private Measured paced(Runnable action, double perSecond, int forSeconds) throws Exception {
        ThreadGroupCpu.Snapshot threads = ThreadGroupCpu.now();
        Cpu before = cpuNow();
        PacedLoad.Paced paced = pacedLoad.measure(action, perSecond, forSeconds);
        Cpu cpu = cpuNow().since(before);
        return new Measured(paced.phase(), cpu, paced.lateStarts(), ProcCpu.loadAverage(),
                ThreadGroupCpu.between(threads, ThreadGroupCpu.now()));
    }

    private Cpu cpuNow() {
        long self = ProcessHandle.current().pid();
        return new Cpu(ProcCpu.processNanos(self), hubsJvm.cpuNanos(), ProcCpu.machineBusyNanos(), System.nanoTime(),
                ProcCpu.compilerNanos(self), hubsJvm.compilerNanos());
    }

    /** This JVM's -X options (heap, collector): they decide part of the figures. */
    private static List<String> jvmOptions() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList();
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
