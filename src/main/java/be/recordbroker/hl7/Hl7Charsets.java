package be.recordbroker.hl7;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Character sets of inbound HL7 v2 frames: MSH-18 (HL7 table 0211) to a Java {@link Charset}, found in the raw
 * bytes before the frame is decoded.
 *
 * <p>Table 0211 values mapped: {@code ASCII}, {@code 8859/1}…{@code 8859/9}, {@code 8859/15}, {@code UNICODE UTF-8},
 * {@code UNICODE UTF-16}, {@code UNICODE UTF-32}, {@code UNICODE} (UCS-2, read as UTF-16), {@code GB 18030-2000},
 * {@code KS X 1001} (EUC-KR), {@code CNS 11643-1992} (EUC-TW), {@code BIG-5}, {@code ISO IR87} / {@code ISO IR159}
 * (ISO-2022-JP), {@code ISO IR14} (JIS X 0201). Values outside the table that name a Java charset ({@code UTF-8},
 * {@code ISO-8859-1}, {@code windows-1252}), which some feeds send, are honoured too; anything else gives the
 * fallback. Only the first repetition of MSH-18 counts (HL7: it is the message's default character set).
 */
public final class Hl7Charsets {

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static final Map<String, String> TABLE_0211 = Map.ofEntries(
            Map.entry("ASCII", "US-ASCII"),
            Map.entry("8859/1", "ISO-8859-1"), Map.entry("8859/2", "ISO-8859-2"), Map.entry("8859/3", "ISO-8859-3"),
            Map.entry("8859/4", "ISO-8859-4"), Map.entry("8859/5", "ISO-8859-5"), Map.entry("8859/6", "ISO-8859-6"),
            Map.entry("8859/7", "ISO-8859-7"), Map.entry("8859/8", "ISO-8859-8"), Map.entry("8859/9", "ISO-8859-9"),
            Map.entry("8859/15", "ISO-8859-15"),
            Map.entry("UNICODE UTF-8", "UTF-8"), Map.entry("UNICODE UTF-16", "UTF-16"),
            Map.entry("UNICODE UTF-32", "UTF-32"), Map.entry("UNICODE", "UTF-16"),
            Map.entry("GB 18030-2000", "GB18030"), Map.entry("KS X 1001", "EUC-KR"),
            Map.entry("CNS 11643-1992", "x-EUC-TW"), Map.entry("BIG-5", "Big5"),
            Map.entry("ISO IR87", "ISO-2022-JP"), Map.entry("ISO IR159", "ISO-2022-JP"),
            Map.entry("ISO IR14", "JIS_X0201"));

    private Hl7Charsets() {
    }

    /**
     * The charset an MSH-18 value names, or {@code fallback} when it is empty or unknown. Case and surrounding
     * spaces are ignored; for a repeating MSH-18 ({@code 8859/1~UNICODE UTF-8}) the first repetition counts.
     */
    public static Charset of(String msh18, Charset fallback) {
        if (msh18 == null) {
            return fallback;
        }
        String value = firstRepetition(msh18).trim().toUpperCase(Locale.ROOT);
        if (value.isEmpty()) {
            return fallback;
        }
        String javaName = TABLE_0211.getOrDefault(value, value);
        try {
            return Charset.isSupported(javaName) ? Charset.forName(javaName) : fallback;
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return fallback; // e.g. "8859/1" misspelt as "8859-1 x": not a legal Java name either
        }
    }

    /**
     * The charset of a raw frame: MSH-18 read with an ASCII-compatible byte scan (after an optional UTF-8 BOM,
     * honouring the field separator of MSH-1), mapped by {@link #of}. A frame with a UTF-8 BOM and no MSH-18 is
     * UTF-8 (the BOM says so). A declared charset that is not ASCII-compatible (UTF-16/32) contradicts the bytes we
     * just read it from, so the fallback is used instead.
     */
    public static Charset detect(byte[] frame, Charset fallback) {
        int start = hasBom(frame) ? UTF8_BOM.length : 0;
        Charset whenUndeclared = start > 0 ? StandardCharsets.UTF_8 : fallback;
        String msh18 = rawMsh18(frame, skipBlank(frame, start));
        Charset declared = of(msh18, null);
        if (declared == null || !isAsciiCompatible(declared)) {
            return whenUndeclared;
        }
        return declared;
    }

    /**
     * Decodes a frame to ER7 text: charset from {@link #detect}, UTF-8 BOM stripped, CRLF and LF normalised to CR,
     * empty segments (blank lines, trailing terminators) dropped, every segment ending with one CR.
     */
    public static String decode(byte[] frame, Charset fallback) {
        if (frame == null || frame.length == 0) {
            return "";
        }
        return decodeAs(frame, detect(frame, fallback));
    }

    /** As {@link #decode}, with the charset {@link #detect} already gave (the listener needs both: no second scan). */
    public static String decodeAs(byte[] frame, Charset detected) {
        if (frame == null || frame.length == 0) {
            return "";
        }
        int start = hasBom(frame) ? UTF8_BOM.length : 0;
        return Er7Text.normalise(new String(frame, start, frame.length - start, detected));
    }

    private static boolean hasBom(byte[] frame) {
        return frame != null && frame.length >= 3 && frame[0] == UTF8_BOM[0] && frame[1] == UTF8_BOM[1]
                && frame[2] == UTF8_BOM[2];
    }

    private static int skipBlank(byte[] frame, int from) {
        int p = from;
        while (p < frame.length && (frame[p] & 0xFF) <= ' ') {
            p++;
        }
        return p;
    }

    /**
     * The first repetition of MSH-18 as ASCII text, or null: what follows the 17th field separator after "MSH", up to
     * the next field or repetition separator (MSH-2's second character) or the end of the MSH segment.
     */
    private static String rawMsh18(byte[] frame, int p) {
        if (frame == null || frame.length < p + 4 || frame[p] != 'M' || frame[p + 1] != 'S' || frame[p + 2] != 'H') {
            return null;
        }
        byte fs = frame[p + 3];
        if (!Delimiters.isDelimiterChar((char) (fs & 0xFF))) {
            return null;
        }
        byte rep = frame.length > p + 5 && frame[p + 5] != fs ? frame[p + 5] : (byte) '~';
        int separators = 0;
        for (int i = p + 3; i < frame.length; i++) {
            byte b = frame[i];
            if (b == '\r' || b == '\n') {
                return null;
            }
            if (b == fs && ++separators == 17) {
                int end = i + 1;
                while (end < frame.length && frame[end] != fs && frame[end] != rep && frame[end] != '\r'
                        && frame[end] != '\n') {
                    end++;
                }
                return new String(frame, i + 1, end - i - 1, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static String firstRepetition(String msh18) {
        // MSH-18 is read before the delimiters are known in detect(); '~' is the repetition separator in practice.
        int tilde = msh18.indexOf('~');
        return tilde >= 0 ? msh18.substring(0, tilde) : msh18;
    }

    private static boolean isAsciiCompatible(Charset charset) {
        if (!charset.canEncode()) {
            return true; // decode-only charsets in the table (none today) are ASCII supersets
        }
        return Arrays.equals("MSH|".getBytes(charset), "MSH|".getBytes(StandardCharsets.US_ASCII));
    }
}
