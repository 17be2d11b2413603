package be.recordbroker.hl7;

/**
 * The ER7 delimiters of one message, as declared by MSH-1 (field separator) and MSH-2 (encoding characters).
 *
 * <p>{@code truncation} is the optional fifth encoding character of v2.7+ ({@code #}); it is {@code 0} when the
 * message declares none. It is only kept so that an ACK can echo MSH-2 as the sender wrote it.
 *
 * <p>{@link #escape(String)} and {@link #unescape(String)} handle the five delimiter escapes
 * ({@code \F\ \S\ \T\ \R\ \E\}) only; other escape sequences ({@code \Xhh\}, {@code \H\}, {@code \.br\} …) are
 * left as they are by {@code unescape}.
 */
public record Delimiters(char field, char component, char repetition, char escape, char subcomponent, char truncation) {

    /** {@code |^~\&}. */
    public static final Delimiters DEFAULT = new Delimiters('|', '^', '~', '\\', '&', (char) 0);

    /** MSH-2 as it is written in a message using these delimiters. */
    public String encodingCharacters() {
        StringBuilder sb = new StringBuilder(5).append(component).append(repetition).append(escape).append(subcomponent);
        if (truncation != 0) {
            sb.append(truncation);
        }
        return sb.toString();
    }

    /**
     * Escapes the delimiters in a plain text so that it can be written as one ER7 value. CR and LF (which would end
     * the segment) and other control characters become spaces.
     */
    public String escape(String plain) {
        if (plain == null || plain.isEmpty()) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            String replacement = escapeOf(c);
            if (replacement == null && c >= ' ') {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) { // fast path: most texts have nothing to escape, so copy only when needed
                sb = new StringBuilder(plain.length() + 16).append(plain, 0, i);
            }
            sb.append(replacement != null ? replacement : " ");
        }
        return sb == null ? plain : sb.toString();
    }

    private String escapeOf(char c) {
        char code;
        if (c == field) {
            code = 'F';
        } else if (c == component) {
            code = 'S';
        } else if (c == subcomponent) {
            code = 'T';
        } else if (c == repetition) {
            code = 'R';
        } else if (c == escape) {
            code = 'E';
        } else {
            return null;
        }
        return new String(new char[]{escape, code, escape});
    }

    /** Replaces the five delimiter escapes by the characters they stand for; other escape sequences are kept. */
    public String unescape(String er7) {
        if (er7 == null || er7.indexOf(escape) < 0) {
            return er7;
        }
        StringBuilder sb = new StringBuilder(er7.length());
        int i = 0;
        while (i < er7.length()) {
            char c = er7.charAt(i);
            if (c == escape && i + 2 < er7.length() && er7.charAt(i + 2) == escape) {
                char replaced = switch (er7.charAt(i + 1)) {
                    case 'F' -> field;
                    case 'S' -> component;
                    case 'T' -> subcomponent;
                    case 'R' -> repetition;
                    case 'E' -> escape;
                    default -> 0;
                };
                if (replaced != 0) {
                    sb.append(replaced);
                    i += 3;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    /**
     * Reads the delimiters from the start of an MSH segment ({@code text} starts with {@code MSH} followed by the
     * field separator). Missing, invalid or duplicated encoding characters fall back to the default for their slot
     * (when that default is still free): real feeds send {@code ^~\\&} (a doubled backslash) or a short MSH-2.
     */
    static Delimiters fromMsh(String text) {
        char fs = text.charAt(3);
        char[] chars = {'^', '~', '\\', '&'};
        char[] defaults = chars.clone();
        int p = 4;
        char truncation = 0;
        StringBuilder used = new StringBuilder().append(fs);
        for (int slot = 0; slot < 4; slot++) {
            char c = p < text.length() ? text.charAt(p) : fs;
            boolean present = c != fs && c != '\r' && c != '\n';
            if (present) {
                p++;
            }
            if (present && isDelimiterChar(c) && used.indexOf(String.valueOf(c)) < 0) {
                chars[slot] = c;
            } else if (used.indexOf(String.valueOf(defaults[slot])) < 0) {
                chars[slot] = defaults[slot];
            } else {
                chars[slot] = firstFree(used);
            }
            used.append(chars[slot]);
        }
        if (p < text.length()) {
            char c = text.charAt(p);
            if (c != fs && c != '\r' && c != '\n' && isDelimiterChar(c) && used.indexOf(String.valueOf(c)) < 0
                    && (p + 1 >= text.length() || text.charAt(p + 1) == fs)) {
                truncation = c;
            }
        }
        return new Delimiters(fs, chars[0], chars[1], chars[2], chars[3], truncation);
    }

    /**
     * A printable ASCII character that can serve as a delimiter: not a letter, digit or space, and not one of
     * {@code . + -}, which the values every message and ACK must carry use (versions {@code 2.5}, timestamps
     * {@code 20260322153000.123+0100}); a message declaring those cannot even state its own version.
     */
    static boolean isDelimiterChar(char c) {
        return c > ' ' && c < 127 && !Character.isLetterOrDigit(c) && c != '.' && c != '+' && c != '-';
    }

    private static char firstFree(StringBuilder used) {
        for (char c : "^~\\&!@%*$".toCharArray()) {
            if (used.indexOf(String.valueOf(c)) < 0) {
                return c;
            }
        }
        return '?';
    }
}
