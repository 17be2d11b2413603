package be.recordbroker.ingest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** {@code record-broker.ingest.*}: what the HL7 listener accepts, its limits, and how declarations are retried. */
@ConfigurationProperties(prefix = "record-broker.ingest")
public class IngestProperties {

    /** HL7 versions accepted (MSH-12). */
    private Set<String> versions = new LinkedHashSet<>(List.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6"));
    /** Message types accepted (MSH-9.1^MSH-9.2). */
    private Set<String> messageTypes = new LinkedHashSet<>(List.of("ADT^A01", "ADT^A04", "ADT^A08", "ADT^A28",
            "ADT^A31", "ADT^A40", "ORU^R01", "MDM^T01", "MDM^T02", "MDM^T10", "MDM^T11"));
    /** Processing ids accepted (MSH-11): P production; add T (training) or D (debugging) for test feeds. */
    private Set<String> processingIds = new LinkedHashSet<>(List.of("P"));
    /** A PID-3 repetition with this assigning authority (CX-4) is the SSIN, besides any with identifier type NN. */
    private String ssinAssigningAuthority;
    /** Charset when MSH-18 is empty. */
    private String defaultCharset = "ISO-8859-1";
    /** Largest MLLP frame accepted. */
    private DataSize maxFrameSize = DataSize.ofMegabytes(10);
    /** How long a started frame may take to arrive completely. */
    private Duration receiveTimeout = Duration.ofSeconds(30);
    /** How long a connection may stay silent before it is closed. */
    private Duration idleTimeout = Duration.ofMinutes(10);
    /** Concurrent MLLP connections (all hospitals together). */
    private int maxConnections = 64;
    /** Concurrent consumers per hub's queue (patients stay in order through message groups). */
    private int consumers = 4;
    /** Consumers for a given hub code, where it should differ from {@link #consumers}. */
    private Map<String, Integer> hubConsumers = new LinkedHashMap<>();
    private Redelivery redelivery = new Redelivery();
    /** CD-TRANSACTION by TXA-2 (MDM document type), OBR-4 code (ORU) or message type; first match wins. */
    private TypeMap typeMap = new TypeMap();
    /**
     * The key of the patients' JMS groups ({@link PatientGroups}): base64, at least 32 bytes, the same on every
     * instance; required in prod. Changing it needs the declaring queues drained first (docs/deployment.md).
     */
    private String groupKey;

    /**
     * A hub's transient failures: retried at once, and after failures-before-pause in a row its queue's consumers pause
     * for initial-delay, growing by multiplier up to max-delay
     * while the hub keeps failing, back to initial-delay after a success; a message still failing after max-age since
     * its enqueue is dead-lettered. Permanent failures (the hub refused the message) are dead-lettered at once.
     */
    public static class Redelivery {
        private Duration initialDelay = Duration.ofSeconds(1);
        private double multiplier = 2.0;
        private Duration maxDelay = Duration.ofMinutes(1);
        /** Transient failures in a row (no success between) before the hub's consumers pause; fewer: retried at once. */
        private int failuresBeforePause = 3;
        /** A message still failing transiently after this long since its enqueue goes to the dead-letter queue. */
        private Duration maxAge = Duration.ofHours(6);
        /**
         * A T11 (or a T10's parent) naming one of its hospital's documents that no applied message announced yet waits
         * this long at the end of its hub's queue ({@link DocumentNotYetAnnounced}), at most unannounced-waits times;
         * then a T11 is dead-lettered and a T10 declares its replacement without revoking a parent.
         */
        private Duration unannouncedDelay = Duration.ofSeconds(3);
        private int unannouncedWaits = 10;

        public Duration getInitialDelay() { return initialDelay; }
        public void setInitialDelay(Duration initialDelay) { this.initialDelay = initialDelay; }
        public double getMultiplier() { return multiplier; }
        public void setMultiplier(double multiplier) { this.multiplier = multiplier; }
        public Duration getMaxDelay() { return maxDelay; }
        public void setMaxDelay(Duration maxDelay) { this.maxDelay = maxDelay; }
        public int getFailuresBeforePause() { return Math.max(1, failuresBeforePause); }
        public void setFailuresBeforePause(int failuresBeforePause) { this.failuresBeforePause = failuresBeforePause; }
        public Duration getMaxAge() { return maxAge; }
        public void setMaxAge(Duration maxAge) { this.maxAge = maxAge; }
        public Duration getUnannouncedDelay() { return unannouncedDelay; }
        public void setUnannouncedDelay(Duration unannouncedDelay) { this.unannouncedDelay = unannouncedDelay; }
        public int getUnannouncedWaits() { return Math.max(0, unannouncedWaits); }
        public void setUnannouncedWaits(int unannouncedWaits) { this.unannouncedWaits = unannouncedWaits; }
    }

    public static class TypeMap {
        private Map<String, String> txa2 = new LinkedHashMap<>();
        private Map<String, String> obr4 = new LinkedHashMap<>();
        private Map<String, String> messageType = new LinkedHashMap<>(Map.of("ORU^R01", "labresult",
                "MDM", "note"));

        public Map<String, String> getTxa2() { return txa2; }
        public void setTxa2(Map<String, String> txa2) { this.txa2 = txa2; }
        public Map<String, String> getObr4() { return obr4; }
        public void setObr4(Map<String, String> obr4) { this.obr4 = obr4; }
        public Map<String, String> getMessageType() { return messageType; }
        public void setMessageType(Map<String, String> messageType) { this.messageType = messageType; }
    }

    public Set<String> getVersions() { return versions; }
    public void setVersions(Set<String> versions) { this.versions = versions; }
    public Set<String> getMessageTypes() { return messageTypes; }
    public void setMessageTypes(Set<String> messageTypes) { this.messageTypes = messageTypes; }
    public Set<String> getProcessingIds() { return processingIds; }
    public void setProcessingIds(Set<String> processingIds) { this.processingIds = processingIds; }
    public String getSsinAssigningAuthority() { return ssinAssigningAuthority; }
    public void setSsinAssigningAuthority(String ssinAssigningAuthority) { this.ssinAssigningAuthority = ssinAssigningAuthority; }
    public String getDefaultCharset() { return defaultCharset; }
    public void setDefaultCharset(String defaultCharset) { this.defaultCharset = defaultCharset; }
    public DataSize getMaxFrameSize() { return maxFrameSize; }
    public void setMaxFrameSize(DataSize maxFrameSize) { this.maxFrameSize = maxFrameSize; }
    public Duration getReceiveTimeout() { return receiveTimeout; }
    public void setReceiveTimeout(Duration receiveTimeout) { this.receiveTimeout = receiveTimeout; }
    public Duration getIdleTimeout() { return idleTimeout; }
    public void setIdleTimeout(Duration idleTimeout) { this.idleTimeout = idleTimeout; }
    public int getMaxConnections() { return maxConnections; }
    public void setMaxConnections(int maxConnections) { this.maxConnections = maxConnections; }
    public int getConsumers() { return consumers; }
    public void setConsumers(int consumers) { this.consumers = consumers; }
    public Map<String, Integer> getHubConsumers() { return hubConsumers; }
    public void setHubConsumers(Map<String, Integer> hubConsumers) { this.hubConsumers = hubConsumers; }
    /** Consumers of one hub's queue: its own setting, else the common one; at least 1. */
    public int consumersFor(String hub) { return Math.max(1, hubConsumers.getOrDefault(hub, consumers)); }
    public Redelivery getRedelivery() { return redelivery; }
    public void setRedelivery(Redelivery redelivery) { this.redelivery = redelivery; }
    public TypeMap getTypeMap() { return typeMap; }
    public void setTypeMap(TypeMap typeMap) { this.typeMap = typeMap; }
    public String getGroupKey() { return groupKey; }
    public void setGroupKey(String groupKey) { this.groupKey = groupKey; }
}
