package be.recordbroker.retrieve;

import java.time.Instant;
import java.util.Objects;

import be.recordbroker.domain.Professional;

/**
 * A request for one document as a face received it.
 *
 * @param documentId          the broker's encoded document id, as given (decoded by the route)
 * @param caller              the acting person, or null when he could not be authenticated (the gate then refuses
 *                            and audits {@code UNAUTHENTICATED})
 * @param authenticationError why the caller is null (safe to return), or null
 * @param breakTheGlass       the emergency justification given, or null
 * @param face                {@code rest} or {@code soap}, for the audit trail and the metrics
 * @param requestId           the correlation id written to the audit trail
 * @param client              the authenticated calling software (SOAP caller, token's client), or null
 */
public record RetrieveRequest(String documentId, Professional caller, String authenticationError,
                              String breakTheGlass, String face, String requestId, Instant at, String client) {

    /** A request with no known calling software. */
    public RetrieveRequest(String documentId, Professional caller, String authenticationError, String breakTheGlass,
                           String face, String requestId, Instant at) {
        this(documentId, caller, authenticationError, breakTheGlass, face, requestId, at, null);
    }

    public RetrieveRequest {
        Objects.requireNonNull(face, "face");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
    }

    /** Ids only: the caller's name and the break-the-glass text stay out of logs. */
    @Override
    public String toString() {
        return "RetrieveRequest[face=" + face + ", requestId=" + requestId + "]";
    }
}
