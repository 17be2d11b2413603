package be.recordbroker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code record-broker.sandbox.declaration-log}: one line per declaration, appended across worlds (restarts). */
class SandboxDeclarationLogTest {

    @Test
    void everyDeclarationIsAppendedAsItHappensAndALaterWorldAppendsToTheSameFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("sub/declarations.log");

        SandboxWorld first = new SandboxWorld();
        first.logDeclarationsTo(log);
        first.declared("rsb", "DOC-1");
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).as("flushed per line").isEqualTo("rsb\tDOC-1\n");
        first.declared("cozo", "DOC-2");

        SandboxWorld afterRestart = new SandboxWorld();
        afterRestart.logDeclarationsTo(log);
        afterRestart.declared("rsb", "DOC-1");

        assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).containsExactly("rsb\tDOC-1", "cozo\tDOC-2",
                "rsb\tDOC-1");
    }

    /**
     * A log that cannot be opened stops the sandbox at start, naming the setting: the kill test counts the hubs'
     * declarations from this file, and a silently missing log would read as "nothing was declared".
     */
    @Test
    void aLogThatCannotBeOpenedFailsAtOnceNamingTheSetting(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "x");

        assertThatThrownBy(() -> new SandboxWorld().logDeclarationsTo(notAFolder.resolve("declarations.log")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("record-broker.sandbox.declaration-log");
    }
}
