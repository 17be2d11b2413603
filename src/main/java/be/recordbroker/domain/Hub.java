package be.recordbroker.domain;

import java.util.regex.Pattern;

/**
 * One Belgian hub (or Vitalink-style vault) the broker can federate to.
 *
 * @param code        our own short key, lowercase {@code [a-z0-9-]{1,32}}, e.g. {@code rsw}
 * @param ehpId       the hub's 10-digit eHealth (EHP) number, e.g. {@code 1990000035}
 * @param sourceLabel the KMEHR transaction id {@code SL} the hub uses, e.g. {@code RSWID}; no whitespace
 * @param name        display name
 * @throws InvalidIdentifierException with reason {@code INVALID_HUB} if a field is invalid
 */
public record Hub(String code, String ehpId, String sourceLabel, String name) {

    private static final Pattern CODE = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");

    /** Validates every field; hubs come from configuration, so fail at startup, not at request time. */
    public Hub {
        if (code == null || !CODE.matcher(code).matches()) {
            throw invalid("hub code must be 1-32 characters of [a-z0-9-], got " + quote(code));
        }
        if (!Digits.isAsciiDigits(ehpId, 10)) {
            throw invalid("hub '" + code + "': EHP id must be 10 digits, got " + quote(ehpId));
        }
        if (sourceLabel == null || !NO_WHITESPACE.matcher(sourceLabel).matches()) {
            throw invalid("hub '" + code + "': source label must be non-blank without whitespace, got "
                    + quote(sourceLabel));
        }
        if (name == null || name.isBlank()) {
            throw invalid("hub '" + code + "': name must not be blank");
        }
    }

    // Hub configuration is not patient data, so echoing it helps fix the config.
    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    private static InvalidIdentifierException invalid(String message) {
        return new InvalidIdentifierException(InvalidIdentifierException.INVALID_HUB, message);
    }
}
