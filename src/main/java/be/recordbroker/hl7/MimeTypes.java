package be.recordbroker.hl7;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** MIME types of embedded HL7 data: from ED/RP type of data (table 0191) and subtype (table 0291), or sniffed. */
final class MimeTypes {

    static final String OCTET_STREAM = "application/octet-stream";

    /** Subtypes that name their MIME type whatever the type of data says (or when it is empty). */
    private static final Map<String, String> BY_SUBTYPE = Map.ofEntries(
            Map.entry("PDF", "application/pdf"),
            Map.entry("RTF", "application/rtf"),
            Map.entry("MSWORD", "application/msword"),
            Map.entry("DOC", "application/msword"),
            Map.entry("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("XML", "text/xml"),
            Map.entry("HTML", "text/html"),
            Map.entry("JPEG", "image/jpeg"),
            Map.entry("JPG", "image/jpeg"),
            Map.entry("PNG", "image/png"),
            Map.entry("GIF", "image/gif"),
            Map.entry("TIFF", "image/tiff"),
            Map.entry("TIF", "image/tiff"),
            Map.entry("BMP", "image/bmp"),
            Map.entry("DICOM", "application/dicom"),
            Map.entry("OCTET-STREAM", OCTET_STREAM));

    /** HL7 type of data (table 0191, plus MIME top-level names some feeds use) to MIME top-level type. */
    private static final Map<String, String> TOP_LEVEL = Map.ofEntries(
            Map.entry("AP", "application"), Map.entry("APPLICATION", "application"),
            Map.entry("TX", "text"), Map.entry("TEXT", "text"), Map.entry("FT", "text"),
            Map.entry("IM", "image"), Map.entry("IMAGE", "image"),
            Map.entry("AU", "audio"), Map.entry("AUDIO", "audio"),
            Map.entry("VIDEO", "video"), Map.entry("MULTIPART", "multipart"));

    private MimeTypes() {
    }

    /**
     * The longest media type kept (the ingest ledger's {@code mime_type} column); a longer one in an ED is not trusted
     * and the content is sniffed instead. Registered types are far shorter.
     */
    static final int MAX_LENGTH = 128;

    /**
     * The MIME type for an ED/RP type of data and subtype, or null when they do not say. A full MIME type in either
     * part ({@code ^^text/html^Base64^…}, seen in real feeds) wins; parameters ({@code ;charset=…}) are dropped.
     */
    static String of(String typeOfData, String subtype) {
        String type = clean(typeOfData);
        String sub = clean(subtype);
        if (sub.indexOf('/') > 0) {
            return valid(sub);
        }
        if (type.indexOf('/') > 0) {
            return valid(type);
        }
        String top = TOP_LEVEL.get(type);
        if ("text".equals(top) && (sub.isEmpty() || "PLAIN".equals(sub))) {
            return "text/plain";
        }
        String known = BY_SUBTYPE.get(sub);
        if (known != null) {
            return known;
        }
        if (top != null && !sub.isEmpty() && !"AP".equals(type) && !"TX".equals(type) && !"IM".equals(type)
                && !"AU".equals(type) && !"FT".equals(type)) {
            // a MIME-style pair such as application^vnd.ms-excel: trust it
            return valid(top + "/" + sub);
        }
        return null;
    }

    /** A MIME type from the first bytes of decoded content, or {@link #OCTET_STREAM}. */
    static String sniff(byte[] head, int length) {
        if (startsWith(head, length, "%PDF")) {
            return "application/pdf";
        }
        if (length >= 4 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return "image/png";
        }
        if (length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (startsWith(head, length, "GIF8")) {
            return "image/gif";
        }
        if (startsWith(head, length, "II*\0") || startsWith(head, length, "MM\0*")) {
            return "image/tiff";
        }
        if (startsWith(head, length, "{\\rtf")) {
            return "application/rtf";
        }
        if (startsWith(head, length, "PK\3\4")) {
            return "application/zip";
        }
        if (startsWith(head, length, "<?xml")) {
            return "text/xml";
        }
        String start = new String(head, 0, Math.min(length, head.length), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
            return "text/html";
        }
        return OCTET_STREAM;
    }

    private static boolean startsWith(byte[] head, int length, String ascii) {
        if (length < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (head[i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String clean(String s) {
        if (s == null) {
            return "";
        }
        int semicolon = s.indexOf(';');
        return (semicolon >= 0 ? s.substring(0, semicolon) : s).trim().toUpperCase(Locale.ROOT);
    }

    /** Lower-cases and checks {@code type/subtype} against RFC 6838 name characters; null if it does not fit. */
    private static String valid(String mime) {
        String m = mime.toLowerCase(Locale.ROOT);
        int slash = m.indexOf('/');
        if (m.length() > MAX_LENGTH || slash <= 0 || slash == m.length() - 1 || m.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "/.+-_!#$&^".indexOf(c) >= 0;
            if (!ok) {
                return null;
            }
        }
        return m;
    }
}
