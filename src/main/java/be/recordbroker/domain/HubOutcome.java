package be.recordbroker.domain;

import java.util.Objects;

/**
 * What happened when one hub was searched.
 *
 * <p>A failure ({@link HubStatus#isFailure()}) must carry an error description, so that a
 * partial result always says why it is partial; {@link HubStatus#OK} must not carry one.
 *
 * @param hub    the hub code (see {@link Hub#code()})
 * @param status the outcome
 * @param error  what went wrong; required for failures, optional for SKIPPED, null for OK
 * @param tookMs elapsed milliseconds, {@code >= 0}
 */
public record HubOutcome(String hub, HubStatus status, String error, long tookMs) {

    /** Validates the fields. */
    public HubOutcome {
        Texts.requireNonBlank(hub, "hub");
        Objects.requireNonNull(status, "status");
        Texts.nullOrNonBlank(error, "error");
        if (status.isFailure() && error == null) {
            throw new IllegalArgumentException("hub " + hub + ": status " + status.wire() + " needs an error description");
        }
        if (status == HubStatus.OK && error != null) {
            throw new IllegalArgumentException("hub " + hub + ": status ok must not carry an error");
        }
        if (tookMs < 0) {
            throw new IllegalArgumentException("tookMs must be >= 0, got " + tookMs);
        }
    }
}
