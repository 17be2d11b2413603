package be.recordbroker.access;

import java.util.Objects;

/**
 * The gate's answer: allowed or not, why (a stable reason code), a human detail (no patient data), and the
 * break-the-glass justification when that is what allowed it.
 */
public record AccessDecision(AccessReason reason, String detail, String breakTheGlass) {

    public AccessDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    public static AccessDecision deny(AccessReason reason, String detail) {
        if (reason.allows()) {
            throw new IllegalArgumentException(reason + " is not a denial");
        }
        return new AccessDecision(reason, detail, null);
    }

    public static AccessDecision allow(AccessReason reason, String detail, String breakTheGlass) {
        if (!reason.allows()) {
            throw new IllegalArgumentException(reason + " is not a permission");
        }
        return new AccessDecision(reason, detail, breakTheGlass);
    }

    public boolean allowed() {
        return reason.allows();
    }
}
