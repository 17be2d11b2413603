package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.nativo.jlibaio.LibaioContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.SandboxIntegrationTest;

/** The embedded broker's journal: libaio where the JVM can load it (the build arranges that on Linux x86_64), else NIO. */
class ArtemisJournalTest extends SandboxIntegrationTest {

    @Autowired
    EmbeddedActiveMQ artemis;

    @Autowired
    MeterRegistry meters;

    @Test
    void theJournalIsLibaioWhereItCanBeLoadedAndNioElse() {
        var configuration = artemis.getActiveMQServer().getConfiguration();
        JournalType expected = AIOSequentialFileFactory.isSupported()
                && AIOSequentialFileFactory.isSupported(configuration.getJournalLocation())
                ? JournalType.ASYNCIO : JournalType.NIO;
        assertThat(configuration.getJournalType()).isEqualTo(expected);
        assertThat(configuration.getJournalMaxIO_AIO()).isEqualTo(256);
        assertThat(meters.get("rb.artemis.journal").tag("type", expected.name()).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theBuildPutsTheLibaioBindingOnTheLibraryPath() {
        // where the system has libaio (Debian/Ubuntu x86_64, as on the CI machine), the unpacked binding must load
        assumeTrue("amd64".equals(System.getProperty("os.arch")) && Stream.of("/lib/x86_64-linux-gnu/libaio.so.1",
                "/usr/lib/x86_64-linux-gnu/libaio.so.1", "/lib64/libaio.so.1").map(Path::of).anyMatch(Files::exists),
                "libaio is not installed here");
        assertThat(System.getProperty("java.library.path")).contains("artemis-native");
        assertThat(LibaioContext.isLoaded()).isTrue();
    }

    @Test
    void aJournalTypeArtemisDoesNotKnowStopsTheStartWithItsName() {
        assertThatThrownBy(() -> new ArtemisEmbeddedConfiguration().recordBrokerArtemis(null, "FAST", 256, 500_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("record-broker.artemis.journal-type must be ASYNCIO, NIO or MAPPED, not 'FAST'");
    }
}
