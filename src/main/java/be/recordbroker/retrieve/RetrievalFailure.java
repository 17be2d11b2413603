package be.recordbroker.retrieve;

/**
 * A retrieval that cannot be answered with the document, for a reason other than the gate's: a stable reason code
 * (docs/access-and-audit.md) with the HTTP status of the REST face and the {@code outcome} tag of the metrics. The message is safe to
 * return to the caller: it names ids, never content.
 */
public class RetrievalFailure extends RuntimeException {

    /** Why the document cannot be delivered. */
    public enum Reason {
        INVALID_DOCUMENT_ID(400, "invalid"),
        UNKNOWN_HUB(404, "not-found"),
        UNKNOWN_DOCUMENT(404, "not-found"),
        /** The document's hub could not be asked whether it lists the document. */
        FACTS_UNAVAILABLE(503, "facts-unavailable"),
        SOURCE_UNAVAILABLE(502, "source-error"),
        SOURCE_TIMEOUT(504, "source-timeout"),
        /** Over the in-memory cap of a KMEHR answer (SOAP face); REST streams any size. */
        DOCUMENT_TOO_LARGE(502, "too-large");

        private final int httpStatus;
        private final String outcome;

        Reason(int httpStatus, String outcome) {
            this.httpStatus = httpStatus;
            this.outcome = outcome;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public String outcome() {
            return outcome;
        }
    }

    private final Reason reason;

    public RetrievalFailure(Reason reason, String message) {
        this(reason, message, null);
    }

    public RetrievalFailure(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false); // no stack trace: an expected answer, not a bug
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
