package be.recordbroker.config;

import java.util.Locale;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.ingest.IngestQueues;

/**
 * The embedded Artemis broker (default profile): the per-hub declaration queues and the dead-letter queue, their address
 * settings ({@link IngestQueues}; the standalone server's broker.xml needs the same, docs/ingest.md), and the journal.
 *
 * <p><b>Journal: libaio (ASYNCIO) when the JVM can load it, else NIO.</b> Every AA waits for its message's journal
 * sync. With NIO the journal's flush thread writes a batch and then syncs it itself, so the next batch waits for that
 * sync; with libaio the batch is submitted and its fdatasync completes on Artemis' poller thread while the next one is
 * written. In the ingest benchmark that took the broker from 0.78× to 1.5–1.65× of a bare HAPI server, at half the
 * CPU per message. Artemis loads {@code libartemis-native-64.so} from {@code java.library.path} only ({@code ./mvnw}
 * and the image set it); for any other start, {@code java -jar} included, the broker loads the binding from the
 * artemis-native jar itself before the server starts ({@link ArtemisNativeBinding}). The system needs libaio; without
 * it Artemis falls back to NIO, which is logged as a WARN: same durability, lower throughput. The flush timer is 500 µs for
 * both (Spring Boot's embedded NIO default is 3.333 ms, which every durable send would wait for).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spring.artemis.embedded", name = "enabled", havingValue = "true", matchIfMissing = true)
class ArtemisEmbeddedConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisEmbeddedConfiguration.class);
    private static final String JOURNAL_TYPE = "${record-broker.artemis.journal-type:ASYNCIO}";

    @Bean
    ArtemisConfigurationCustomizer recordBrokerArtemis(be.recordbroker.network.Network network,
            @Value(JOURNAL_TYPE) String journalType,
            @Value("${record-broker.artemis.journal-max-io:256}") int journalMaxIo,
            @Value("${record-broker.artemis.journal-buffer-timeout-ns:500000}") int journalBufferTimeoutNs) {
        JournalType type = journalType(journalType);
        return configuration -> {
            if (type == JournalType.ASYNCIO) {
                // before the server starts: it decides between libaio and NIO when it opens the journal
                ArtemisNativeBinding.ensureLoaded(
                        configuration.getJournalLocation().toPath().toAbsolutePath().getParent());
            }
            configuration.setJournalType(type);
            // at most this many writes in flight per broker; each one reserves kernel AIO slots out of the machine-wide
            // fs.aio-max-nr (65,536 by default), and a flush every 500 µs never has many outstanding (Artemis: 4,096)
            configuration.setJournalMaxIO_AIO(journalMaxIo);
            configuration.setJournalBufferTimeout_NIO(journalBufferTimeoutNs);
            configuration.setJournalBufferTimeout_AIO(journalBufferTimeoutNs);
            // paging (a backlog beyond the global max size, half the heap) syncs on its own timer, 3.3 ms by default:
            // with it an ingest address held to 64 MB took 1,800 msgs/s in the benchmark, with 500 µs 6,100
            configuration.setPageSyncTimeout(journalBufferTimeoutNs);
            java.util.List<String> queues = new java.util.ArrayList<>(
                    java.util.List.of(IngestQueues.INGEST, IngestQueues.DEAD_LETTER));
            network.hubEndpoints().forEach(hub -> queues.add(IngestQueues.declareQueue(hub.hub().code())));
            for (String queue : queues) {
                configuration.addQueueConfiguration(QueueConfiguration.of(queue).setAddress(queue)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(true));
            }
            configuration.addAddressSetting(IngestQueues.INGEST, IngestQueues.legacyIngestAddressSettings());
            configuration.addAddressSetting(IngestQueues.DECLARE_MATCH, IngestQueues.declareAddressSettings());
            configuration.addAddressSetting(IngestQueues.DEAD_LETTER, new AddressSettings()
                    .setMaxDeliveryAttempts(-1));
        };
    }

    /**
     * Says which journal the started broker uses (Artemis switches ASYNCIO to NIO when libaio cannot be loaded), in the
     * log and as the gauge {@code rb.artemis.journal{type}} = 1.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> artemisJournalReport(EmbeddedActiveMQ artemis, MeterRegistry meters,
            @Value(JOURNAL_TYPE) String configured) {
        return ready -> {
            JournalType inUse = artemis.getActiveMQServer().getConfiguration().getJournalType();
            Gauge.builder("rb.artemis.journal", () -> 1).tag("type", inUse.name())
                    .description("the embedded Artemis journal in use (ASYNCIO: libaio; NIO: Java NIO)")
                    .register(meters);
            if (inUse == JournalType.ASYNCIO || journalType(configured) != JournalType.ASYNCIO) {
                LOG.info("Artemis journal: {}", inUse);
            } else {
                LOG.warn("Artemis journal: NIO, not libaio (durable, but fewer acknowledged messages per second): the"
                        + " libaio binding did not load ({}); install libaio (Debian: libaio1t64 or libaio1) and keep the"
                        + " data directory on a file system that allows executables", ArtemisNativeBinding.outcome());
            }
        };
    }

    private static JournalType journalType(String configured) {
        try {
            return JournalType.valueOf(configured.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("record-broker.artemis.journal-type must be ASYNCIO, NIO or MAPPED, not '"
                    + configured + "'", e);
        }
    }
}
