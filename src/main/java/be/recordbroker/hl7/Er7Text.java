package be.recordbroker.hl7;

/** Segment-terminator normalisation shared by {@link Hl7Charsets} and {@link InboundMessage}. */
final class Er7Text {

    private Er7Text() {
    }

    /**
     * Returns the text with every segment terminated by exactly one CR: a leading BOM ({@code U+FEFF}) and leading
     * whitespace are dropped, CRLF and lone LF become CR, and empty segments (blank lines, trailing CRs) are
     * removed. Returns the same instance when the text is already clean, so the common case costs one scan.
     */
    static String normalise(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        int start = 0;
        while (start < text.length() && (text.charAt(start) == '\uFEFF' || text.charAt(start) <= ' ')) {
            start++;
        }
        if (start == text.length()) {
            return "";
        }
        if (start == 0 && isClean(text)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() - start + 1);
        boolean atSegmentStart = true;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                if (!atSegmentStart) {
                    sb.append('\r');
                    atSegmentStart = true;
                }
            } else {
                sb.append(c);
                atSegmentStart = false;
            }
        }
        if (!atSegmentStart) {
            sb.append('\r');
        }
        return sb.toString();
    }

    /** No LF, no empty segment, and a final CR. */
    private static boolean isClean(String text) {
        if (text.indexOf('\n') >= 0 || text.charAt(text.length() - 1) != '\r') {
            return false;
        }
        int p = text.indexOf('\r');
        while (p >= 0 && p + 1 < text.length()) {
            if (text.charAt(p + 1) == '\r') {
                return false;
            }
            p = text.indexOf('\r', p + 1);
        }
        return true;
    }
}
