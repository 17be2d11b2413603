package be.recordbroker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where this JVM's CPU went over a phase, by group of threads (a thread's name with its numbers taken out:
 * {@code http-nio-8080-exec-12} → {@code http-nio-#-exec-#}), from the JVM's own per-thread CPU counters
 * ({@link ThreadMXBean#getThreadCpuTime}). Exact, unlike samples, and cheap enough to read at a phase's start and end.
 * What no Java thread accounts for (the collector, the JIT, a thread that ended within the phase) is the process's CPU
 * less the groups' sum, printed as such.
 */
final class ThreadGroupCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU and bytes allocated so far of every live Java thread, by thread id, with its group. */
    record Snapshot(Map<Long, String> groups, Map<Long, Long> nanos, Map<Long, Long> allocated,
                    Map<String, long[]> ended, Map<String, Long> vmNanos) {
    }

    /**
     * What the groups spent between two snapshots: CPU (ns) and bytes allocated (what the collector has to follow);
     * and the JVM's own threads' CPU (ns), which no Java thread accounts for, by kind ({@link ProcCpu#vmKind}).
     */
    record Spent(Map<String, Long> nanos, Map<String, Long> allocated, Map<String, Long> vmNanos) {

        /** Two intervals' figures together. */
        Spent plus(Spent other) {
            return new Spent(sum(nanos, other.nanos), sum(allocated, other.allocated), sum(vmNanos, other.vmNanos));
        }

        private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
            Map<String, Long> all = new HashMap<>(a);
            b.forEach((k, v) -> all.merge(k, v, Long::sum));
            return all;
        }
    }


    /** What threads made by {@link #counted} spent before they ended, by group (a dead thread's counters are gone). */
    private static final Map<String, long[]> ENDED = new java.util.concurrent.ConcurrentHashMap<>();

    private ThreadGroupCpu() {
    }

    /**
     * Threads named {@code <name>-#} that leave what they spent to the next snapshot when they end (the benchmarks'
     * clients run in a pool of their own per phase, shut down before the phase's figures are read).
     */
    static java.util.concurrent.ThreadFactory counted(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return task -> new Thread(() -> {
            try {
                task.run();
            } finally {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long bytes = THREADS instanceof com.sun.management.ThreadMXBean hotspot
                        ? hotspot.getThreadAllocatedBytes(Thread.currentThread().getId()) : 0;
                ENDED.compute(group(Thread.currentThread().getName()), (g, spent) -> spent == null
                        ? new long[] {cpu, bytes} : new long[] {spent[0] + cpu, spent[1] + bytes});
            }
        }, name + "-" + n.incrementAndGet());
    }

    static Snapshot now() {
        Map<Long, String> groups = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, Long> allocated = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        long[] bytes = THREADS instanceof com.sun.management.ThreadMXBean hotspot
                ? hotspot.getThreadAllocatedBytes(ids) : new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpu >= 0) {
                groups.put(ids[i], group(infos[i].getThreadName()));
                nanos.put(ids[i], cpu);
                allocated.put(ids[i], Math.max(0, bytes[i]));
            }
        }
        Map<String, long[]> ended = new HashMap<>();
        ENDED.forEach((group, spent) -> ended.put(group, spent.clone()));
        return new Snapshot(groups, nanos, allocated, ended, ProcCpu.vmThreadNanos(ProcessHandle.current().pid()));
    }

    static String group(String threadName) {
        return threadName.replaceAll("\\d+", "#");
    }

    /** What each group spent between two snapshots (a thread born meanwhile counts from zero). */
    static Spent between(Snapshot before, Snapshot after) {
        Map<String, Long> nanos = new HashMap<>();
        Map<String, Long> allocated = new HashMap<>();
        after.nanos().forEach((id, cpu) -> nanos.merge(after.groups().get(id),
                cpu - before.nanos().getOrDefault(id, 0L), Long::sum));
        after.allocated().forEach((id, bytes) -> allocated.merge(after.groups().get(id),
                bytes - before.allocated().getOrDefault(id, 0L), Long::sum));
        after.ended().forEach((group, spent) -> {
            long[] was = before.ended().getOrDefault(group, new long[2]);
            nanos.merge(group, spent[0] - was[0], Long::sum);
            allocated.merge(group, spent[1] - was[1], Long::sum);
        });
        Map<String, Long> vm = new HashMap<>();
        after.vmNanos().forEach((kind, cpu) -> vm.put(kind, cpu - before.vmNanos().getOrDefault(kind, 0L)));
        return new Spent(nanos, allocated, vm);
    }

    /** The JVM's own threads' CPU per call by kind, largest first (JIT compilers, collector, VM threads, JFR). */
    static String vmPerCall(Map<String, Long> vmNanos, long calls) {
        if (vmNanos.isEmpty()) {
            return "not known here (no /proc)";
        }
        long divisor = Math.max(1, calls);
        return vmNanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e6 / divisor))
                .collect(Collectors.joining(", ")) + " ms";
    }

    /** Bytes allocated per call, all Java threads together and the largest groups. */
    static String allocatedPerCall(Map<String, Long> byGroup, long calls, int top) {
        long divisor = Math.max(1, calls);
        long all = byGroup.values().stream().mapToLong(Long::longValue).sum();
        String shown = byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top).map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue() / 1024.0 / divisor))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%.0f KB (%s KB)", all / 1024.0 / divisor, shown);
    }

    /**
     * The groups' CPU per call, largest first, the rest folded into one line; {@code processNanos} gives the line for
     * what no Java thread accounts for.
     */
    static String perCall(Map<String, Long> byGroup, long processNanos, long calls, int top) {
        long perCallDivisor = Math.max(1, calls);
        long named = byGroup.values().stream().mapToLong(Long::longValue).sum();
        var sorted = byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        String shown = sorted.stream().limit(top).map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(),
                e.getValue() / 1e6 / perCallDivisor)).collect(Collectors.joining(", "));
        long others = sorted.stream().skip(top).mapToLong(Map.Entry::getValue).sum();
        return String.format(Locale.ROOT, "%s, other threads %.2f, no Java thread (GC, JIT, ended threads) %.2f ms",
                shown, others / 1e6 / perCallDivisor, Math.max(0, processNanos - named) / 1e6 / perCallDivisor);
    }
}
