package be.recordbroker.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * A benchmark phase's warm-up: at least {@code minSeconds} of load, then on in 5-s steps (up to {@code maxSeconds})
 * until the JIT spent less than 5% of a step compiling. The broker's code paths (Camel, CXF, JAXB, Tomcat, Artemis,
 * JDBC) keep C2 busy for a minute or more on 2 cores; a figure taken before that measures the compiler, not the
 * steady state a broker runs in for days. Other JVMs under the same load (the search benchmark's sandbox hubs) can be
 * waited for too: the CPU time of their compiler threads ({@link ProcCpu#compilerNanos}) must then stay under 5% too.
 */
final class JitWarmUp {

    static final int STEP_SECONDS = 5;

    /** Runs load for the given number of seconds. */
    interface Load {
        void run(int seconds) throws Exception;
    }

    private JitWarmUp() {
    }

    /**
     * Returns how long the warm-up took, in seconds. {@code otherCompilerNanos}: the compiler threads' CPU time of
     * other JVMs under the same load, each of which must settle too.
     */
    static double warmUp(Load load, int minSeconds, int maxSeconds, LongSupplier... otherCompilerNanos)
            throws Exception {
        LongSupplier ownCompilerMillis = ownCompilerMillis();
        long started = System.nanoTime();
        load.run(minSeconds);
        long quietMillis = STEP_SECONDS * 1000 / 20;
        while (ownCompilerMillis != null
                && (System.nanoTime() - started) / 1_000_000_000L + STEP_SECONDS <= maxSeconds) {
            long before = ownCompilerMillis.getAsLong();
            long[] othersBefore = new long[otherCompilerNanos.length];
            for (int i = 0; i < othersBefore.length; i++) {
                othersBefore[i] = otherCompilerNanos[i].getAsLong();
            }
            load.run(STEP_SECONDS);
            boolean quiet = ownCompilerMillis.getAsLong() - before < quietMillis;
            for (int i = 0; i < othersBefore.length; i++) {
                quiet &= (otherCompilerNanos[i].getAsLong() - othersBefore[i]) / 1_000_000 < quietMillis;
            }
            if (quiet) {
                break;
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * This JVM's compiler threads' CPU in ms, from /proc where there is one (what the JIT's threads really ran: a search
     * phase that CompilationMXBean's total called quiet still had its compiler threads busy a tenth of a core), else
     * CompilationMXBean's total; null where neither is known.
     */
    private static LongSupplier ownCompilerMillis() {
        long pid = ProcessHandle.current().pid();
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc", Long.toString(pid), "task"))) {
            return () -> ProcCpu.compilerNanos(pid) / 1_000_000;
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null;
    }
}
