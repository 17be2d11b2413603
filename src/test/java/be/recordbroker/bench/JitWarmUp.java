package be.recordbroker.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * A benchmark phase's warm-up: at least {@code minSeconds} of load, then on in 5-s steps (up to {@code maxSeconds})
 * until the JIT spent less than 5% of a step compiling. The broker's code paths (Camel, CXF, JAXB, Tomcat, Artemis,
 * JDBC) keep C2 busy for a minute or more on 2 cores; a figure taken before that measures the compiler, not the
 * steady state a broker runs in for days.
 */
final class JitWarmUp {

    static final int STEP_SECONDS = 5;

    /** Runs load for the given number of seconds. */
    interface Load {
        void run(int seconds) throws Exception;
    }

    private JitWarmUp() {
    }

    /** Returns how long the warm-up took, in seconds. */
    static double warmUp(Load load, int minSeconds, int maxSeconds) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        load.run(minSeconds);
        while (jit != null && jit.isCompilationTimeMonitoringSupported()
                && (System.nanoTime() - started) / 1_000_000_000L + STEP_SECONDS <= maxSeconds) {
            long before = jit.getTotalCompilationTime();
            load.run(STEP_SECONDS);
            if (jit.getTotalCompilationTime() - before < STEP_SECONDS * 1000 / 20) {
                break;
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }
}
