package be.recordbroker.access;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The emergency procedure: which professions may use it (physicians by default) and how long the justification must
 * be (10 to 200 characters by default, counted after trimming). Hub-side constraints are unpublished (docs/domain.md).
 */
public record BreakTheGlassPolicy(Set<String> professions, int minLength, int maxLength) {

    public BreakTheGlassPolicy {
        professions = professions.stream().map(p -> p.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("break-the-glass lengths must satisfy 1 <= min <= max");
        }
    }

    public boolean allowedFor(String profession) {
        return professions.contains(profession.toLowerCase(Locale.ROOT));
    }

    public boolean validReason(String reason) {
        if (reason == null) {
            return false;
        }
        int length = reason.strip().length();
        return length >= minLength && length <= maxLength && reason.chars().noneMatch(c -> c < 0x20 && c != '\t');
    }
}
