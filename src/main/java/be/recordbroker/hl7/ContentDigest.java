package be.recordbroker.hl7;

import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Decodes embedded data straight from the message text into SHA-256 and a byte count, through two small buffers:
 * the decoded document is never materialised (a 10 MB frame must not cost another 7.5 MB copy per message).
 * HL7 escape sequences inside the data ({@code \X0D\\X0A\}, {@code \.br\}: line breaks some senders put in
 * base64) are skipped for Base64 and Hex.
 */
final class ContentDigest {

    static final String BASE64 = "Base64";
    static final String HEX = "Hex";
    static final String TEXT = "A";
    static final String RAW = "raw";

    private static final int CHUNK = 8192;
    private static final int HEAD = 16;
    private static final byte[] BASE64_VALUES = new byte[128];

    static {
        java.util.Arrays.fill(BASE64_VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64_VALUES[alphabet.charAt(i)] = (byte) i;
        }
        BASE64_VALUES['-'] = 62; // URL-safe alphabet, tolerated
        BASE64_VALUES['_'] = 63;
    }

    private final MessageDigest sha256;
    private final byte[] out = new byte[CHUNK];
    private final byte[] head = new byte[HEAD];
    private int outLength;
    private int headLength;
    private long size;
    private boolean wellFormed = true;

    private ContentDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Result of one digest. */
    record Result(String sha256, long size, boolean wellFormed, byte[] head, int headLength) {
    }

    /**
     * Digests the data in {@code text[from, to)} written with {@code encoding} (one of the constants).
     * {@code charset} turns characters into bytes for {@link #TEXT} and {@link #RAW}.
     */
    static Result digest(String text, int from, int to, String encoding, Delimiters d, Charset charset) {
        ContentDigest digest = new ContentDigest();
        switch (encoding) {
            case BASE64 -> digest.base64(text, from, to, d.escape());
            case HEX -> digest.hex(text, from, to, d.escape());
            case TEXT -> digest.text(d.unescape(text.substring(from, to)), charset, true); // rare and small: a copy is fine
            default -> digest.text(text.substring(from, to), charset, false);
        }
        return digest.finish();
    }

    /**
     * True when {@code text[from, to)} reads as base64: only alphabet characters and HL7 escape sequences (the
     * line breaks some senders insert), with at most two '=' at the end. Fails fast on the first other character:
     * prose has a space within a few chars.
     */
    static boolean looksLikeBase64(String text, int from, int to, char escape) {
        int symbols = 0;
        int padding = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == escape) {
                int close = text.indexOf(escape, i + 1);
                if (close < 0 || close >= to) {
                    return false;
                }
                i = close;
            } else if (c == '=') {
                padding++;
            } else if (c < 128 && BASE64_VALUES[c] >= 0 && c != '-' && c != '_') {
                if (padding > 0) {
                    return false;
                }
                symbols++;
            } else {
                return false;
            }
        }
        return symbols > 0 && padding <= 2 && (symbols + padding) % 4 == 0;
    }

    private void base64(String text, int from, int to, char escape) {
        char[] chunk = new char[CHUNK];
        int bits = 0;
        int count = 0;
        boolean padded = false;
        boolean inEscape = false;
        for (int pos = from; pos < to; pos += CHUNK) {
            int n = Math.min(CHUNK, to - pos);
            text.getChars(pos, pos + n, chunk, 0);
            for (int i = 0; i < n; i++) {
                char c = chunk[i];
                if (c == escape) {
                    inEscape = !inEscape;
                    continue;
                }
                if (inEscape || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    continue;
                }
                if (c == '=') {
                    padded = true;
                    continue;
                }
                int v = c < 128 ? BASE64_VALUES[c] : -1;
                if (v < 0 || padded) {
                    wellFormed = false; // a stray character, or data after the padding
                    continue;
                }
                bits = (bits << 6) | v;
                if (++count == 4) {
                    put((byte) (bits >> 16));
                    put((byte) (bits >> 8));
                    put((byte) bits);
                    bits = 0;
                    count = 0;
                }
            }
        }
        if (count == 2) {
            put((byte) (bits >> 4));
        } else if (count == 3) {
            put((byte) (bits >> 10));
            put((byte) (bits >> 2));
        } else if (count == 1) {
            wellFormed = false;
        }
        if (inEscape) {
            wellFormed = false;
        }
    }

    private void hex(String text, int from, int to, char escape) {
        int high = -1;
        boolean inEscape = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == escape) {
                inEscape = !inEscape;
                continue;
            }
            if (inEscape || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            int v = Character.digit(c, 16);
            if (v < 0) {
                wellFormed = false;
                continue;
            }
            if (high < 0) {
                high = v;
            } else {
                put((byte) ((high << 4) | v));
                high = -1;
            }
        }
        if (high >= 0 || inEscape) {
            wellFormed = false;
        }
    }

    private void text(String value, Charset charset, boolean declared) {
        byte[] bytes = value.getBytes(charset);
        for (byte b : bytes) {
            put(b);
        }
        wellFormed = declared; // raw data with no known encoding is kept out, but flagged
    }

    private void put(byte b) {
        if (headLength < HEAD) {
            head[headLength++] = b;
        }
        out[outLength++] = b;
        if (outLength == out.length) {
            flush();
        }
    }

    private void flush() {
        sha256.update(out, 0, outLength);
        size += outLength;
        outLength = 0;
    }

    private Result finish() {
        flush();
        return new Result(HexFormat.of().formatHex(sha256.digest()), size, wellFormed, head, headLength);
    }
}
