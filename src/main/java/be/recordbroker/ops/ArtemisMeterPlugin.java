package be.recordbroker.ops;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.activemq.artemis.core.server.metrics.ActiveMQMetricsPlugin;

/**
 * Hands the embedded Artemis broker the application's meter registry: Artemis then keeps its own per-queue meters
 * there ({@code artemis_message_count}, {@code artemis_consumer_count}, {@code artemis_messages_killed},
 * {@code artemis_delivering_message_count}, {@code artemis_scheduled_message_count} … tagged {@code broker, address,
 * queue}), adding and removing them as queues come and go. Queue names are the broker's own (rb.hl7.ingest, its DLQ):
 * bounded, no patient data.
 */
final class ArtemisMeterPlugin implements ActiveMQMetricsPlugin {

    private static final long serialVersionUID = 1L;

    /** Not serialised: Artemis copies its configuration, never this plugin's registry. */
    private final transient MeterRegistry registry;

    ArtemisMeterPlugin(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ActiveMQMetricsPlugin init(Map<String, String> options) {
        return this;
    }

    @Override
    public MeterRegistry getRegistry() {
        return registry;
    }
}
