package be.recordbroker.domain;

/**
 * Text made safe to store in an audit row (belt and braces behind the faces' validation): every control character
 * (C0, DEL, C1, the Unicode line and paragraph separators) and every lone surrogate becomes {@code '?'}, and the text
 * is capped to a number of chars without splitting a surrogate pair. A NUL byte in one row once made PostgreSQL refuse
 * a whole group-commit batch: no text that reaches the audit writer can carry one.
 */
public final class SafeText {

    private SafeText() {
    }

    /** The text cleaned and capped to {@code max} chars; null stays null. */
    public static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        int length = Math.min(text.length(), max);
        if (length < text.length() && length > 0 && Character.isHighSurrogate(text.charAt(length - 1))) {
            length--; // never keep half a pair
        }
        StringBuilder out = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean bad = isControl(c)
                    || Character.isHighSurrogate(c) && (i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
            if (bad && out == null) {
                out = new StringBuilder(length).append(text, 0, i);
            }
            if (out != null) {
                out.append(bad ? '?' : c);
            }
        }
        return out != null ? out.toString() : length == text.length() ? text : text.substring(0, length);
    }

    /** Whether the text holds a control character (see the class comment). */
    public static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
