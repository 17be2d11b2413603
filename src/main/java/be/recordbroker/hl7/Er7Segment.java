package be.recordbroker.hl7;

/**
 * One segment of an ER7 text, with the offsets of its fields; a view, nothing is copied until a value is asked for.
 *
 * <p>Fields are numbered as in HL7: {@code field(3)} of {@code PID} is PID-3, and for {@code MSH} the numbering
 * accounts for MSH-1 being the separator itself ({@code field(9)} is MSH-9). {@code field(0)} is the segment name.
 */
final class Er7Segment {

    private final String text;
    private final Delimiters d;
    private final int start;
    private final int end;
    private final boolean msh;
    /** bounds[k] = offset of the k-th field separator; the segment name ends at bounds[0]. */
    private int[] bounds = new int[24];
    private int separators;

    Er7Segment(String text, Delimiters d, int start, int end) {
        this.text = text;
        this.d = d;
        this.start = start;
        this.end = end;
        this.msh = text.startsWith("MSH", start);
        // indexOf is vectorised by the JVM: the separators of a 10 MB OBX-5 are found without a per-char loop
        int p = text.indexOf(d.field(), start);
        while (p >= 0 && p < end) {
            if (separators == bounds.length) {
                bounds = java.util.Arrays.copyOf(bounds, separators * 2);
            }
            bounds[separators++] = p;
            p = text.indexOf(d.field(), p + 1);
        }
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Offset where field {@code n} starts, or -1 when the segment has no such field. */
    int fieldStart(int n) {
        int k = msh ? n - 1 : n;
        if (msh && n == 1) {
            return -1; // MSH-1 is the separator; callers use Delimiters#field()
        }
        return k >= 1 && k <= separators ? bounds[k - 1] + 1 : -1;
    }

    /** Offset where field {@code n} ends (exclusive), or -1. */
    int fieldEnd(int n) {
        int k = msh ? n - 1 : n;
        if (k < 1 || k > separators || (msh && n == 1)) {
            return -1;
        }
        return k < separators ? bounds[k] : end;
    }

    /** Field {@code n} as written (escapes kept), "" when absent. */
    String raw(int n) {
        int s = fieldStart(n);
        return s < 0 ? "" : text.substring(s, fieldEnd(n));
    }

    /**
     * One leaf value: repetition {@code rep} (0-based), component {@code comp} and subcomponent {@code sub}
     * (1-based, as in HL7), unescaped and trimmed; the HL7 null {@code ""} reads as empty.
     */
    String value(int n, int rep, int comp, int sub) {
        int s = fieldStart(n);
        if (s < 0) {
            return "";
        }
        return leaf(text, d, s, fieldEnd(n), rep, comp, sub);
    }

    /** Component {@code comp} (1-based) of the first repetition of field {@code n}. */
    String component(int n, int comp) {
        return value(n, 0, comp, 1);
    }

    /** Number of repetitions of field {@code n} (0 when empty). */
    int repetitions(int n) {
        int s = fieldStart(n);
        if (s < 0) {
            return 0;
        }
        int e = fieldEnd(n);
        if (s == e) {
            return 0;
        }
        int count = 1;
        for (int i = s; i < e; i++) {
            if (text.charAt(i) == d.repetition()) {
                count++;
            }
        }
        return count;
    }

    /** The leaf value at (rep, comp, sub) inside the range [from, to) of one field. */
    static String leaf(String text, Delimiters d, int from, int to, int rep, int comp, int sub) {
        int s = nth(text, from, to, d.repetition(), rep);
        if (s < 0) {
            return "";
        }
        int e = endOf(text, s, to, d.repetition());
        s = nth(text, s, e, d.component(), comp - 1);
        if (s < 0) {
            return "";
        }
        e = endOf(text, s, e, d.component());
        s = nth(text, s, e, d.subcomponent(), sub - 1);
        if (s < 0) {
            return "";
        }
        e = endOf(text, s, e, d.subcomponent());
        String v = d.unescape(text.substring(s, e)).trim();
        return "\"\"".equals(v) ? "" : v;
    }

    /** Start of the index-th part (0-based) of [from, to) split on {@code sep}, or -1. */
    static int nth(String text, int from, int to, char sep, int index) {
        int p = from;
        for (int i = 0; i < index; i++) {
            p = endOf(text, p, to, sep);
            if (p >= to) {
                return -1;
            }
            p++;
        }
        return p;
    }

    /** Offset of the next {@code sep} in [from, to), or {@code to}. */
    static int endOf(String text, int from, int to, char sep) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == sep) {
                return i;
            }
        }
        return to;
    }
}
