package be.recordbroker.ingest;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The ingest queues and the properties carried with each message. Only identifiers and content metadata travel in a
 * message: the HL7 text with its embedded content already removed.
 */
public final class IngestQueues {

    /** Where earlier versions queued every declaration; now only drained into the per-hub queues. */
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
    /** How many times the message waited for the announcement of the document it names ({@link DocumentNotYetAnnounced}). */
    public static final String UNANNOUNCED_WAITS = "rbUnannouncedWaits";
    public static final String DEAD_REASON = "rbDeadReason";
    public static final String DEAD_AT = "rbDeadAt";

    private IngestQueues() {
    }

    /** Prefix of the per-hub declaration queues: {@code rb.hl7.declare.<hub code>}, one address and queue per hub. */
    public static final String DECLARE_PREFIX = "rb.hl7.declare.";
    /** Address-settings match of every per-hub queue (Artemis wildcard). */
    public static final String DECLARE_MATCH = DECLARE_PREFIX + "#";

    /**
     * The queue a hub's declarations wait in. One queue per hub, so a hub that is down holds back only its own
     * hospitals' messages. Hub codes come from the network file; anything but letters, digits and '-' is refused
     * here rather than turned into an Artemis wildcard.
     */
    public static String declareQueue(String hub) {
        if (hub == null || !hub.matches("[A-Za-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("a hub code must be 1-40 letters, digits or '-' to name its queue");
        }
        return DECLARE_PREFIX + hub;
    }

    /**
     * Broker-side settings of the per-hub queues (the same as the standalone broker's broker.xml, see docs/ingest.md).
     * The declaring consumer decides a message's fate: a permanent failure goes to the dead-letter queue at once, a
     * transient one is rolled back and retried until the message is older than the configured max age. So the broker
     * never dead-letters by a delivery count (-1), and redelivers at once (delay 0): the head of a hub's queue stays
     * the oldest message of each patient, which Artemis' delayed redelivery would not keep (a later message of the
     * same group, with fewer deliveries and so a shorter delay, could overtake it). The growing delay between tries of
     * a down hub is the hub's consumer pausing (HubBackoff), not a thread sleeping on a message.
     */
    public static AddressSettings declareAddressSettings() {
        return new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(0)
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER));
    }

    /**
     * The queue earlier versions sent every declaration to: drained at start into the per-hub queues
     * (DeclareRoutes), so nothing queued before an upgrade is stranded.
     */
    public static AddressSettings legacyIngestAddressSettings() {
        return new AddressSettings()
                .setMaxDeliveryAttempts(50)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER));
    }
}
