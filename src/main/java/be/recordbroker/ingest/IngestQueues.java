package be.recordbroker.ingest;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The ingest queues and the properties carried with each message. Only identifiers and content metadata travel in a
 * message: the HL7 text with its embedded content already removed.
 */
public final class IngestQueues {

    public static final String INGEST = "rb.hl7.ingest";
    public static final String DEAD_LETTER = "rb.hl7.ingest.dlq";

    /** JMS properties of a queued message. */
    public static final String FACILITY = "rbFacility";
    public static final String CONTROL_ID = "rbControlId";
    public static final String MESSAGE_TYPE = "rbMessageType";
    public static final String HUB = "rbHub";
    public static final String ENQUEUED_AT = "rbEnqueuedAt";
    /** JSON list of {sha256, size, mimeType, obx} for content removed before the enqueue. */
    public static final String CONTENT = "rbContent";
    public static final String DEAD_REASON = "rbDeadReason";
    public static final String DEAD_AT = "rbDeadAt";

    private IngestQueues() {
    }

    /**
     * Broker-side safety net for the ingest address: the consumer retries in place (so a patient's messages stay in
     * order) and dead-letters itself; a message the broker redelivers after a crash is never dropped, and one that
     * still fails after many broker deliveries goes to the dead-letter queue.
     */
    public static AddressSettings ingestAddressSettings() {
        return new AddressSettings()
                .setMaxDeliveryAttempts(50)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER));
    }
}
