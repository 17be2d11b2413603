package be.recordbroker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The benchmarks' /proc readings: the JIT's own threads are found, so a warm-up can wait for them. */
class ProcCpuTest {

    @Test
    void theCompilerThreadsOfThisJvmAreFoundAndHaveRun() {
        long pid = ProcessHandle.current().pid();
        assumeTrue(Files.isDirectory(Path.of("/proc", Long.toString(pid), "task")), "a machine with /proc");
        // a JVM that got this far (Maven, JUnit, this class) has compiled for far more than one 10 ms clock tick
        assertThat(ProcCpu.compilerNanos(pid)).isPositive();
        assertThat(ProcCpu.vmThreadNanos(pid)).containsKey(ProcCpu.JIT_COMPILERS);
    }

    @Test
    void theJvmsOwnThreadsAreToldFromJavaThreadsByTheirKernelNames() {
        assertThat(ProcCpu.vmKind("C2 CompilerThre")).isEqualTo("JIT compilers");
        assertThat(ProcCpu.vmKind("ZWorker#0")).isEqualTo("collector");
        assertThat(ProcCpu.vmKind("GC Thread#1")).isEqualTo("collector");
        assertThat(ProcCpu.vmKind("VM Thread")).isEqualTo("VM threads");
        assertThat(ProcCpu.vmKind("http-nio-8080-e")).isNull();
        assertThat(ProcCpu.vmKind("search-3")).isNull();
    }
}
