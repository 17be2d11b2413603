package be.recordbroker.prod;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import be.recordbroker.BrokerJvm;
import be.recordbroker.TestIo;

/**
 * {@code java -jar} runs the libaio journal: the broker in its own JVM with no {@code java.library.path} (the packaged
 * jar when it is fresh, else the jar's class path: see {@link BrokerJvm#commandAsJavaJar}) loads Artemis' binding from
 * the class path itself. Where the system has no libaio it must say NIO loudly (WARN) instead.
 */
class JavaJarJournalIT {

    private static final Path OUT = Path.of("target/java-jar-journal-test").toAbsolutePath();

    @Test
    void theBrokerStartedWithoutALibraryPathRunsTheLibaioJournalWhereTheSystemHasLibaio() throws Exception {
        TestIo.deleteTree(OUT);
        Files.createDirectories(OUT);
        Path log = OUT.resolve("broker.log");
        List<String> command = new ArrayList<>(BrokerJvm.commandAsJavaJar("-Xmx384m"));
        assertThat(command).noneMatch(arg -> arg.startsWith("-Djava.library.path"));
        command.addAll(List.of(
                "--server.port=" + TestIo.freePort(),
                "--server.address=127.0.0.1",
                "--management.server.port=" + TestIo.freePort(),
                "--record-broker.mllp.port=" + TestIo.freePort(),
                "--record-broker.mllp.bind-address=127.0.0.1",
                "--record-broker.mllp.plaintext=true",
                "--record-broker.sites.sandbox-lge.mllp-port=" + TestIo.freePort(),
                "--record-broker.data-dir=" + OUT.resolve("data"),
                "--spring.main.banner-mode=off"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove("SPRING_PROFILES_DEFAULT");
        builder.environment().remove("RECORD_BROKER_DATA_DIR");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process broker = builder.start();
        try {
            String journalLine = awaitLine(broker, log, "Artemis journal: ");
            boolean libaio = "amd64".equals(System.getProperty("os.arch"))
                    && Stream.of("/lib/x86_64-linux-gnu/libaio.so.1", "/usr/lib/x86_64-linux-gnu/libaio.so.1",
                    "/lib64/libaio.so.1").map(Path::of).anyMatch(Files::exists);
            if (libaio) {
                assertThat(journalLine).contains(" INFO ").endsWith("Artemis journal: ASYNCIO");
                assertThat(OUT.resolve("data/artemis/native/libartemis-native-64.so")).isRegularFile();
            } else {
                assertThat(journalLine).contains(" WARN ").contains("Artemis journal: NIO, not libaio");
            }
        } finally {
            broker.destroy();
            if (!broker.waitFor(60, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    private static String awaitLine(Process broker, Path log, String marker) throws Exception {
        // the repackaged jar starts slower than the class path (nested jars); 16 s idle, minutes on a shared machine
        Instant deadline = Instant.now().plus(Duration.ofSeconds(360));
        while (true) {
            try (Stream<String> lines = Files.lines(log)) {
                var line = lines.filter(l -> l.contains(marker)).findFirst();
                if (line.isPresent()) {
                    return line.get().strip();
                }
            }
            if (!broker.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("no '" + marker + "' from the broker:\n" + Files.readString(log));
            }
            Thread.sleep(300);
        }
    }
}
