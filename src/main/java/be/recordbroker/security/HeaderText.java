package be.recordbroker.security;

/**
 * The rules Spring Security's {@code StrictHttpFirewall} applies to every header name and value — each code point
 * assigned in Unicode and none a control character, except a tab in a value (its regexes
 * {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} and {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}) — tested
 * without the regexes. The firewall runs them on every read of a header, and the ~800-character bearer token is read
 * several times a request: in a JFR recording of the FHIR benchmark (2026-12-04) the regex took ~14 % of the web
 * threads' samples. Same rules ({@code HeaderTextTest} compares them over every code point), same refusal.
 */
public final class HeaderText {

    private HeaderText() {
    }

    /** A header name: every code point assigned, none a control character (the empty text included). */
    public static boolean allowedName(String text) {
        return allowed(text, false);
    }

    /** A header value: as a name, but a tab is allowed. */
    public static boolean allowedValue(String text) {
        return allowed(text, true);
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
