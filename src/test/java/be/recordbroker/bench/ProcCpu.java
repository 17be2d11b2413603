package be.recordbroker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time as Linux's {@code /proc} counts it, the same way for every process: a whole process (all its threads), its
 * JIT compiler threads, and the whole machine (every process, neighbours included). The JDK reports only its own
 * process; a benchmark that runs the sandbox hubs in a child JVM needs the child's on the same basis. Counters are in
 * clock ticks ({@code getconf CLK_TCK}, 100 on Linux), so a figure is exact to 10 ms: read them over seconds.
 */
final class ProcCpu {

    static final long TICK_NANOS = 1_000_000_000L / clockTicks();

    private ProcCpu() {
    }

    /** User + system CPU of process {@code pid}, all threads, in ns. */
    static long processNanos(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) * TICK_NANOS;
    }

    /** User + system CPU of the JIT compiler threads (C1, C2) of process {@code pid} now alive, in ns. */
    static long compilerNanos(long pid) {
        return vmThreadNanos(pid).getOrDefault(JIT_COMPILERS, 0L);
    }

    static final String JIT_COMPILERS = "JIT compilers";
    /** The garbage collector's threads, as {@link #vmKind} names them. */
    static final String COLLECTOR = "collector";

    /**
     * The JVM's own threads of process {@code pid} now alive (not Java threads: ThreadMXBean does not see them), their
     * CPU so far in ns by kind ({@link #vmKind}); empty where there is no /proc. The kernel knows a thread by the first
     * 15 characters of its name, which HotSpot sets for its own threads too.
     */
    static java.util.Map<String, Long> vmThreadNanos(long pid) {
        java.util.Map<String, Long> nanos = new java.util.HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return nanos;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                String stat = readIfAlive(thread.resolve("stat"));
                String kind = stat == null ? null : vmKind(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                if (kind != null) {
                    nanos.merge(kind, ticksOf(stat) * TICK_NANOS, Long::sum);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nanos;
    }

    /** The kind of a JVM thread by its kernel name, or null for a Java thread. */
    static String vmKind(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT_COMPILERS;
        }
        if (comm.matches("Z(Worker|Director|Driver|Stat|Unmapper|Uncommitter|RuntimeWorker|Marker).*")
                || comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("GC ")) {
            return COLLECTOR;
        }
        if (comm.startsWith("VM Thread") || comm.startsWith("VM Periodic Tas") || comm.startsWith("Monitor Deflati")
                || comm.startsWith("Sweeper thread") || comm.startsWith("Service Thread")) {
            return "VM threads";
        }
        if (comm.startsWith("JFR ")) {
            return "JFR";
        }
        return null;
    }

    /** CPU busy on the whole machine (user, nice, system, irq, softirq, steal of every CPU), in ns. */
    static long machineBusyNanos() {
        String[] cpu = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(cpu[field]);
        }
        return busy * TICK_NANOS;
    }

    /** The machine's CPUs (not what a cgroup lets this JVM see: {@link Runtime#availableProcessors()}). */
    static int machineCpus() {
        return (int) read(Path.of("/proc/stat")).lines().filter(l -> l.matches("cpu\\d+ .*")).count();
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        String[] fields = read(Path.of("/proc/loadavg")).trim().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /** The CPU model, as /proc/cpuinfo names it. */
    static String cpuModel() {
        return read(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
    }

    /** utime + stime (fields 14 and 15; counted after the command name, which may hold spaces). */
    private static long ticks(Path stat) {
        String text = readIfAlive(stat);
        return text == null ? 0 : ticksOf(text);
    }

    private static long ticksOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** A thread may end between listing and reading: then it has nothing to count. */
    private static String readIfAlive(Path stat) {
        try {
            return Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (!Files.exists(stat)) {
                return null;
            }
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).strip();
            return getconf.waitFor() == 0 && out.matches("\\d+") ? Long.parseLong(out) : 100;
        } catch (IOException e) {
            return 100; // USER_HZ: what /proc counts in on Linux unless the kernel says otherwise
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
