package be.recordbroker.admission;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code record-broker.admission.*}: how many searches and retrievals the broker works on at once, how many may wait
 * for a place and for how long; the rest are answered {@code 503} with {@code Retry-After} (docs/search.md
 * "Admission control").
 */
@ConfigurationProperties("record-broker.admission")
public class AdmissionProperties {

    /** Searches (REST, SOAP GetTransactionList, FHIR DocumentReference search) and audit-trail reads (REST, SOAP
     *  GetPatientAuditTrail, FHIR AuditEvent search). */
    private final Lane search = new Lane(32, 32);
    /** Retrievals (REST, SOAP GetTransaction, FHIR Binary): held while the document streams. */
    private final Lane retrieve = new Lane(32, 32);
    /** What a refused caller is told to wait ({@code Retry-After}, whole seconds, at least 1). */
    private Duration retryAfter = Duration.ofSeconds(1);

    public Lane getSearch() {
        return search;
    }

    public Lane getRetrieve() {
        return retrieve;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** One kind of work. */
    public static class Lane {
        /** Worked on at once. */
        private int maxInFlight;
        /** Waiting for a place beyond those; one more is refused at once. */
        private int maxQueued;
        /** How long a queued request waits for a place before it is refused; on REST also how long a refusal for a
         *  full queue is held before it is sent (AdmissionFilter). */
        private Duration queueTimeout = Duration.ofSeconds(1);

        /** Spring binds into the lanes made above (two constructors: never constructor binding). */
        public Lane() {
            this(1, 0);
        }

        Lane(int maxInFlight, int maxQueued) {
            this.maxInFlight = maxInFlight;
            this.maxQueued = maxQueued;
        }

        public int getMaxInFlight() {
            return maxInFlight;
        }

        public void setMaxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        public int getMaxQueued() {
            return maxQueued;
        }

        public void setMaxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
        }

        public Duration getQueueTimeout() {
            return queueTimeout;
        }

        public void setQueueTimeout(Duration queueTimeout) {
            this.queueTimeout = queueTimeout;
        }
    }
}
