package be.recordbroker.domain;

/** Small helpers shared by the numeric identifier parsers. Package-private on purpose. */
final class Digits {

    private Digits() {
    }

    /**
     * Removes the separators humans put in identifiers ('.', '-', '/', whitespace).
     * Anything else is kept so the caller can reject it.
     */
    static String stripSeparators(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '.' || c == '-' || c == '/' || Character.isWhitespace(c)) {
                continue;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** True if every char is an ASCII digit. Character.isDigit would also accept e.g. Arabic-Indic digits. */
    static boolean isAsciiDigits(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** True if {@code s} is exactly {@code length} ASCII digits. Null-safe. */
    static boolean isAsciiDigits(String s, int length) {
        return s != null && s.length() == length && isAsciiDigits(s);
    }

    /** Parses a run of ASCII digits that is known to be valid. */
    static int intAt(String digits, int from, int to) {
        return Integer.parseInt(digits.substring(from, to));
    }
}
