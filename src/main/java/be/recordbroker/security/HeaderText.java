package be.recordbroker.security;

/**
 * The rule Spring Security's {@code StrictHttpFirewall} applies to every header name and value — each code point
 * assigned in Unicode and none a control character, its regex {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} — tested
 * without the regex. The firewall runs it on every read of a header, and the ~800-character bearer token is read
 * several times a request: in a JFR recording of the FHIR benchmark (2026-12-04) the regex took ~14 % of the web
 * threads' samples. Same rule ({@code HeaderTextTest} compares both over every code point), same refusal.
 */
public final class HeaderText {

    private HeaderText() {
    }

    /** True when every code point is assigned and none is a control character (the empty text included). */
    public static boolean allowed(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
