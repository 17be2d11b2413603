package be.recordbroker.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmarks' closed-loop load: {@code clients} threads each repeat an action (a blocking call) for a while, with
 * no pause between calls; every call's latency is kept, and the process CPU time over the phase (broker, sandbox and
 * clients alike: they share this JVM) gives the CPU per call and the share of the machine. Each phase is measured
 * after a warm-up of its own ({@link JitWarmUp}). Used by the search benchmark (its capacity line; its ratios are taken
 * under {@link PacedLoad}) and the FHIR benchmark.
 */
final class ClosedLoop {

    /** One measured phase: the sorted latencies (ns), how long it ran, and the process CPU it took. */
    record Phase(long[] sorted, int seconds, double cpuShare, double cpuPerCallNanos) {

        long pct(int p) {
            return ClosedLoop.pct(sorted, p);
        }

        double callsPerSecond() {
            return sorted.length / (double) seconds;
        }

        /** Both phases' calls as one phase (e.g. the two halves of an A-B-B-A run). */
        Phase and(Phase other) {
            long[] all = new long[sorted.length + other.sorted.length];
            System.arraycopy(sorted, 0, all, 0, sorted.length);
            System.arraycopy(other.sorted, 0, all, sorted.length, other.sorted.length);
            Arrays.sort(all);
            int secs = seconds + other.seconds;
            double cpu = cpuPerCallNanos * sorted.length + other.cpuPerCallNanos * other.sorted.length;
            return new Phase(all, secs, (cpuShare * seconds + other.cpuShare * other.seconds) / secs,
                    cpu / Math.max(1, all.length));
        }

        String line(String label) {
            return String.format(Locale.ROOT, "%s: %6d calls, %6.1f/s, p50 %6.1f ms, p99 %6.1f ms; process CPU %4.0f%%"
                            + " of the machine, %5.2f ms per call", label, sorted.length, callsPerSecond(),
                    pct(50) / 1e6, pct(99) / 1e6, 100 * cpuShare, cpuPerCallNanos / 1e6);
        }
    }

    /** A measured phase's progress, for a warm-up line. */
    interface Printer {
        void line(String text);
    }

    private final int clients;
    private final int warmupMax;
    private final Printer out;

    ClosedLoop(int clients, int warmupMax, Printer out) {
        this.clients = clients;
        this.warmupMax = warmupMax;
        this.out = out;
    }

    int clients() {
        return clients;
    }

    /** Load until the JIT has settled: {@code minSeconds} at least, {@code bench.warmup.max} at most. */
    void warmUp(String phase, Runnable action, int minSeconds) throws Exception {
        double took = JitWarmUp.warmUp(secs -> measure(action, secs), minSeconds, warmupMax);
        out.line(String.format(Locale.ROOT, "  %s warmed up in %.0f s", phase, took));
    }

    /** Runs {@code action} from {@link #clients} threads for a while. */
    Phase measure(Runnable action, int forSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients, ThreadGroupCpu.counted("bench-client"));
        long end = System.nanoTime() + forSeconds * 1_000_000_000L;
        List<Future<long[]>> futures = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                Latencies samples = new Latencies();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    action.run();
                    samples.add(System.nanoTime() - t0);
                }
                return samples.toArray();
            }));
        }
        return phase(collect(pool, futures), forSeconds, processCpuNanos() - cpu0, System.nanoTime() - wall0);
    }

    /** Each client's latencies once every client has ended; the pool is shut down either way. */
    static List<long[]> collect(ExecutorService pool, List<Future<long[]>> clients) throws Exception {
        List<long[]> parts = new ArrayList<>();
        try {
            for (Future<long[]> f : clients) {
                parts.add(f.get());
            }
        } finally {
            pool.shutdownNow();
            // the clients' threads hand what they spent to ThreadGroupCpu as they end: before the phase's figures
            pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        return parts;
    }

    /** One client's latencies in nanoseconds, a growing array (no boxing in the measured loop). */
    static final class Latencies {
        private long[] samples = new long[4096];
        private int n;

        void add(long nanos) {
            if (n == samples.length) {
                samples = Arrays.copyOf(samples, n * 2);
            }
            samples[n++] = nanos;
        }

        long[] toArray() {
            return Arrays.copyOf(samples, n);
        }
    }

    /** A phase of the clients' latencies, with this process's CPU time over its wall-clock time. */
    static Phase phase(List<long[]> latencies, int seconds, long cpuNanos, long wallNanos) {
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Phase(all, seconds, cpuNanos / (double) wallNanos / Runtime.getRuntime().availableProcessors(),
                cpuNanos / (double) Math.max(1, all.length));
    }

    /** CPU time of this whole process (broker, sandbox and load generator alike). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
