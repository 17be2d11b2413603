package be.recordbroker.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Original Source Principle, at the door: removes document content embedded in a message before anything else
 * (queue, journal, log) sees it, keeping only its fingerprint.
 *
 * <p>What counts as embedded content, per OBX-5 repetition:
 * <ul>
 *   <li>OBX-2 = {@code ED}: the data component (ED-5) and anything after it is removed; source application, type
 *       of data, subtype and encoding stay, so the OBX is still a valid ED ({@code ^AP^PDF^Base64^}). An ED
 *       value with no component separator at all is taken as bare data and emptied whole;</li>
 *   <li>any other OBX-2 whose value is shaped like an ED with a binary encoding ({@code …^…^…^Base64^data} or
 *       {@code Hex}): same treatment;</li>
 *   <li>any other OBX-2 whose value is a single run of base64 of at least {@value #MIN_BARE_BASE64} characters
 *       (some HIS send a PDF as OBX-2 = TX): the value is emptied and its MIME type sniffed. Shorter values
 *       (identifiers, hashes) are left alone.</li>
 * </ul>
 * OBX-2 = {@code RP} (reference pointer) is kept as sent and reported. Every other OBX (NM, ST, CE, TX prose …) is
 * untouched.
 *
 * <p>Decoding streams over the characters (see {@link ContentDigest}); the only copy is the stripped text itself,
 * and a message without content is returned as the same string instance.
 */
public final class ContentStripper {

    /** Shortest bare base64 value (no ED structure) taken for content: 192 bytes, longer than any id or hash. */
    public static final int MIN_BARE_BASE64 = 256;

    /**
     * The message text without its embedded content, what that content was, and the reference pointers found.
     */
    public record Stripped(String text, List<EmbeddedContent> contents, List<ReferencePointer> pointers) {

        public Stripped {
            contents = List.copyOf(contents);
            pointers = List.copyOf(pointers);
        }

        /** True when content was removed. */
        public boolean stripped() {
            return !contents.isEmpty();
        }

        /**
         * An AE-worthy problem with the content (data that did not decode cleanly): table 0357 code 102 at the
         * OBX-5 that carried it. Empty when all content was well-formed.
         */
        public Optional<Hl7Error> problem() {
            for (EmbeddedContent c : contents) {
                if (!c.wellFormed()) {
                    String what = ContentDigest.RAW.equals(c.encoding())
                            ? "has no supported encoding (Base64, Hex or A)"
                            : "is not valid " + c.encoding() + " data";
                    return Optional.of(new Hl7Error(Hl7Error.DATA_TYPE_ERROR, "OBX^" + c.obxSequence() + "^5",
                            "Embedded data in OBX-5 " + what));
                }
            }
            return Optional.empty();
        }
    }

    private ContentStripper() {
    }

    /** Parses then strips; see {@link #strip(InboundMessage)}. */
    public static Stripped strip(String er7) {
        return strip(InboundMessage.parse(er7));
    }

    /** Strips the embedded content of a parsed message. Never throws; a non-HL7 text is returned as it is. */
    public static Stripped strip(InboundMessage m) {
        String text = m.text();
        if (!m.isHl7() || m.obxList().isEmpty()) {
            return new Stripped(text, List.of(), List.of());
        }
        Charset charset = Hl7Charsets.of(m.charset(), StandardCharsets.UTF_8);
        Work work = new Work(text, m.delimiters(), charset);
        for (InboundMessage.Obx obx : m.obxList()) {
            work.obx(obx);
        }
        return new Stripped(work.strippedText(), work.contents, work.pointers);
    }

    /** The state of one strip: ranges to cut and what was found. */
    private static final class Work {
        private final String text;
        private final Delimiters d;
        private final Charset charset;
        private final List<EmbeddedContent> contents = new ArrayList<>();
        private final List<ReferencePointer> pointers = new ArrayList<>();
        private final List<int[]> cuts = new ArrayList<>();

        Work(String text, Delimiters d, Charset charset) {
            this.text = text;
            this.d = d;
            this.charset = charset;
        }

        void obx(InboundMessage.Obx obx) {
            int from = obx.valueStart();
            int to = obx.valueEnd();
            if (from < 0 || from == to) {
                return;
            }
            int rs = from;
            while (rs <= to) {
                int re = indexOf(d.repetition(), rs, to);
                repetition(obx, rs, re);
                rs = re + 1;
            }
        }

        private void repetition(InboundMessage.Obx obx, int from, int to) {
            if (from == to) {
                return;
            }
            String type = obx.valueType();
            if ("RP".equals(type)) {
                pointers.add(pointer(obx, from, to));
                return;
            }
            int[] comps = componentSeparators(from, to);
            boolean isEd = "ED".equals(type);
            if (comps[3] >= 0) {
                String encoding = leaf(comps[2] + 1, comps[3]).toUpperCase(Locale.ROOT);
                // outside ED only the binary encodings count: "A" is too common a component value (a CWE code…)
                if (isEd || encoding.equals("BASE64") || encoding.equals("HEX")) {
                    String mime = MimeTypes.of(leaf(comps[0] + 1, comps[1]), leaf(comps[1] + 1, comps[2]));
                    content(obx, comps[3] + 1, to, encoding, mime);
                }
            } else if (comps[0] < 0) { // no structure at all: bare data?
                if (isEd || (to - from >= MIN_BARE_BASE64 && ContentDigest.looksLikeBase64(text, from, to, d.escape()))) {
                    content(obx, from, to, "", null);
                }
            }
            // an ED with 1 to 3 components has no data component: nothing to strip
        }

        private void content(InboundMessage.Obx obx, int from, int to, String declaredEncoding, String mime) {
            if (from >= to) {
                return; // an ED whose data component is empty (the document was not sent)
            }
            String encoding = switch (declaredEncoding) {
                case "BASE64" -> ContentDigest.BASE64;
                case "HEX" -> ContentDigest.HEX;
                case "A" -> ContentDigest.TEXT;
                // no encoding said: base64 if it reads as such; an encoding we do not know: kept out, flagged
                case "" -> ContentDigest.looksLikeBase64(text, from, to, d.escape())
                        ? ContentDigest.BASE64 : ContentDigest.RAW;
                default -> ContentDigest.RAW;
            };
            ContentDigest.Result r = ContentDigest.digest(text, from, to, encoding, d, charset);
            String mimeType = mime != null ? mime : MimeTypes.sniff(r.head(), r.headLength());
            contents.add(new EmbeddedContent(r.sha256(), r.size(), mimeType, obx.setId(), obx.sequence(), encoding,
                    r.wellFormed()));
            cuts.add(new int[]{from, to});
        }

        private ReferencePointer pointer(InboundMessage.Obx obx, int from, int to) {
            String typeOfData = Er7Segment.leaf(text, d, from, to, 0, 3, 1);
            String subtype = Er7Segment.leaf(text, d, from, to, 0, 4, 1);
            String mime = MimeTypes.of(typeOfData, subtype);
            return new ReferencePointer(Er7Segment.leaf(text, d, from, to, 0, 1, 1),
                    Er7Segment.leaf(text, d, from, to, 0, 2, 1), typeOfData, subtype,
                    mime != null ? mime : MimeTypes.OCTET_STREAM, obx.setId(), obx.sequence());
        }

        /** Offsets of the first four component separators in [from, to); -1 where there are fewer. */
        private int[] componentSeparators(int from, int to) {
            int[] seps = {-1, -1, -1, -1};
            int p = from;
            for (int i = 0; i < 4; i++) {
                int s = indexOf(d.component(), p, to);
                if (s >= to) {
                    break;
                }
                seps[i] = s;
                p = s + 1;
            }
            return seps;
        }

        /** First subcomponent of [from, to), unescaped and trimmed. */
        private String leaf(int from, int to) {
            return Er7Segment.leaf(text, d, from, to, 0, 1, 1);
        }

        /** Offset of {@code c} in [from, to), or {@code to}; vectorised indexOf, bounded. */
        private int indexOf(char c, int from, int to) {
            int p = text.indexOf(c, from);
            return p < 0 || p > to ? to : p;
        }

        String strippedText() {
            if (cuts.isEmpty()) {
                return text;
            }
            int removed = 0;
            for (int[] cut : cuts) {
                removed += cut[1] - cut[0];
            }
            StringBuilder sb = new StringBuilder(text.length() - removed);
            int p = 0;
            for (int[] cut : cuts) {
                sb.append(text, p, cut[0]);
                p = cut[1];
            }
            return sb.append(text, p, text.length()).toString();
        }
    }
}
