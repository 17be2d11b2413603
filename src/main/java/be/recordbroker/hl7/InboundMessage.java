package be.recordbroker.hl7;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An immutable view of one inbound HL7 v2 message (ER7), holding only what ingest needs to decide, acknowledge and
 * declare: the MSH envelope, PID-3, MRG-1, a few TXA fields, the first OBR and the OBX list.
 *
 * <p><b>Why a small tokenizer and not HAPI.</b> This runs for every frame on the MLLP thread, so it must cost a
 * fraction of HAPI's full parse (measured: see the hl7 package notes). HAPI's {@code PreParser.getFields} was
 * considered: it re-tokenises the whole message into a {@code Properties} map on every call, can only address
 * fixed paths (no "every OBX", no "every PID-3 repetition" without knowing how many there are) and would copy a
 * multi-megabyte OBX-5 into that map. The tokenizer here scans each interesting segment once for its field
 * separators (with the JVM's vectorised {@code indexOf}), honours the delimiters of MSH-1/MSH-2, and copies only
 * the short values it keeps; OBX-5 is kept as offsets into {@link #text()} so embedded content is never duplicated.
 *
 * <p>Values are trimmed, unescaped ({@code \F\ \S\ \T\ \R\ \E\}), and the HL7 null {@code ""} reads as empty,
 * except those documented as <em>raw</em>: these are the ER7 text as sent, because the ACK echoes them verbatim.
 * Absent values are {@code ""}, never {@code null}. A text that is not HL7 ({@link #isHl7()} false) has every
 * value empty.
 */
public final class InboundMessage {

    /** One PID-3 repetition (CX): CX-1, CX-4 (its namespace id and universal id) and CX-5. */
    public record PatientId(String id, String assigningAuthority, String assigningAuthorityUniversalId,
                            String identifierType) {
    }

    /** The first two components of a coded element (CE/CWE): identifier and text. */
    public record Coded(String code, String text) {
        static final Coded EMPTY = new Coded("", "");

        public boolean isEmpty() {
            return code.isEmpty() && text.isEmpty();
        }
    }

    /** One OBX segment. OBX-5 stays in the message text: {@link #value()} copies it, so call it only when needed. */
    public static final class Obx {
        private final String text;
        private final int sequence;
        private final String setId;
        private final String valueType;
        private final Coded observationId;
        private final int valueStart;
        private final int valueEnd;

        Obx(String text, int sequence, String setId, String valueType, Coded observationId, int valueStart,
            int valueEnd) {
            this.text = text;
            this.sequence = sequence;
            this.setId = setId;
            this.valueType = valueType;
            this.observationId = observationId;
            this.valueStart = valueStart;
            this.valueEnd = valueEnd;
        }

        /** Position of this OBX among the message's OBX segments, from 1 (ERR-2 "sequence"). */
        public int sequence() {
            return sequence;
        }

        /** OBX-1. */
        public String setId() {
            return setId;
        }

        /** OBX-2, upper case ({@code ED}, {@code RP}, {@code TX}, {@code NM} …). */
        public String valueType() {
            return valueType;
        }

        /** OBX-3 code^text. */
        public Coded observationId() {
            return observationId;
        }

        /** OBX-5 raw (a copy: may be megabytes for embedded content). */
        public String value() {
            return valueStart < 0 ? "" : text.substring(valueStart, valueEnd);
        }

        /** Length of OBX-5 raw, in chars. */
        public int valueLength() {
            return valueStart < 0 ? 0 : valueEnd - valueStart;
        }

        int valueStart() {
            return valueStart;
        }

        int valueEnd() {
            return valueEnd;
        }

        @Override
        public String toString() { // never the value: it may be document content
            return "OBX[" + sequence + ", setId=" + setId + ", type=" + valueType + ", valueLength=" + valueLength() + "]";
        }
    }

    /** MSH values; see the accessors of the same names. */
    private record Msh(String sendingApplication, String sendingFacility, String sendingFacilityRaw,
                       String receivingApplication, String receivingFacility, String dateTime, String messageCode,
                       String triggerEvent, String structure, String controlId, String processingId,
                       String processingIdRaw, String version, String versionRaw, String acceptAckType,
                       String applicationAckType, String charset, String charsetRaw) {
        static final Msh EMPTY = new Msh("", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "");
    }

    /** TXA values of the first TXA. */
    private record Txa(String txa2, String txa12, String txa13, String txa16, String txa17, String txa19) {
    }

    private static final InboundMessage EMPTY_NOT_HL7 = new InboundMessage("", false, Delimiters.DEFAULT, new Reader());

    private final String text;
    private final boolean hl7;
    private final Delimiters delimiters;
    private final Msh msh;
    private final int messageCount;
    private final List<PatientId> patientIds;
    private final boolean hasPid;
    private final boolean hasMrg;
    private final String mrg1;
    private final boolean hasTxa;
    private final Txa txa;
    private final boolean hasObr;
    private final String obr2;
    private final String obr3;
    private final Coded obr4;
    private final List<Obx> obxList;

    private InboundMessage(String text, boolean hl7, Delimiters delimiters, Reader r) {
        this.text = text;
        this.hl7 = hl7;
        this.delimiters = delimiters;
        this.msh = r.msh;
        this.messageCount = r.messageCount;
        this.hasPid = r.hasPid;
        this.patientIds = List.copyOf(r.patientIds);
        this.hasMrg = r.hasMrg;
        this.mrg1 = r.mrg1;
        this.hasTxa = r.hasTxa;
        this.txa = r.txa;
        this.hasObr = r.hasObr;
        this.obr2 = r.obr2;
        this.obr3 = r.obr3;
        this.obr4 = r.obr4;
        this.obxList = List.copyOf(r.obx);
    }

    /**
     * Reads an ER7 message. LF and CRLF segment ends are accepted (normalised to CR), as is a leading BOM. Never
     * throws: a text that does not start with {@code MSH} and a field separator gives {@link #isHl7()} false.
     */
    public static InboundMessage parse(String er7) {
        String text = Er7Text.normalise(er7);
        if (text.length() < 4 || !text.startsWith("MSH") || !Delimiters.isDelimiterChar(text.charAt(3))) {
            return text.isEmpty() ? EMPTY_NOT_HL7 : new InboundMessage(text, false, Delimiters.DEFAULT, new Reader());
        }
        Delimiters delimiters = Delimiters.fromMsh(text);
        Reader reader = new Reader();
        reader.read(text, delimiters);
        return new InboundMessage(text, true, delimiters, reader);
    }

    /** One pass over the segments, reading only those ingest needs; the parse state, discarded afterwards. */
    private static final class Reader {
        private String text;
        private Delimiters d;
        private Msh msh = Msh.EMPTY;
        private int messageCount;
        private boolean hasPid;
        private List<PatientId> patientIds = List.of();
        private boolean hasMrg;
        private String mrg1 = "";
        private Txa txa = new Txa("", "", "", "", "", "");
        private boolean hasTxa;
        private boolean hasObr;
        private String obr2 = "";
        private String obr3 = "";
        private Coded obr4 = Coded.EMPTY;
        private final List<Obx> obx = new ArrayList<>();

        void read(String text, Delimiters d) {
            this.text = text;
            this.d = d;
            int pos = 0;
            while (pos < text.length()) {
                int end = text.indexOf('\r', pos);
                if (end < 0) {
                    end = text.length();
                }
                if (end - pos >= 3 && (end - pos == 3 || text.charAt(pos + 3) == d.field())) {
                    segment(pos, end);
                }
                pos = end + 1;
            }
        }

        private void segment(int start, int end) {
            char c0 = text.charAt(start);
            if (c0 != 'M' && c0 != 'P' && c0 != 'T' && c0 != 'O') {
                return; // cheap exit for the many segments we never read (EVN, PV1, NTE, Z-segments …)
            }
            if (text.startsWith("MSH", start)) {
                if (messageCount++ == 0) {
                    msh(new Er7Segment(text, d, start, end));
                }
            } else if (text.startsWith("OBX", start)) {
                // also in a second message of the same frame: its content must be stripped too
                obx(new Er7Segment(text, d, start, end));
            } else if (messageCount > 1) {
                return; // the rest of a second message is not read: the frame is rejected anyway
            } else if (!hasPid && text.startsWith("PID", start)) {
                hasPid = true;
                pid(new Er7Segment(text, d, start, end));
            } else if (!hasMrg && text.startsWith("MRG", start)) {
                hasMrg = true;
                mrg1 = new Er7Segment(text, d, start, end).value(1, 0, 1, 1);
            } else if (!hasTxa && text.startsWith("TXA", start)) {
                hasTxa = true;
                Er7Segment s = new Er7Segment(text, d, start, end);
                txa = new Txa(s.component(2, 1), s.component(12, 1), s.component(13, 1), s.component(16, 1),
                        s.component(17, 1), s.component(19, 1));
            } else if (!hasObr && text.startsWith("OBR", start)) {
                hasObr = true;
                Er7Segment s = new Er7Segment(text, d, start, end);
                obr2 = s.component(2, 1);
                obr3 = s.component(3, 1);
                obr4 = new Coded(s.component(4, 1), s.component(4, 2));
            }
        }

        private void msh(Er7Segment s) {
            String facility = s.component(4, 1);
            if (facility.isEmpty()) {
                facility = s.component(4, 2); // a hospital identified by its universal id only (^1.2.3^ISO)
            }
            msh = new Msh(s.raw(3), facility, s.raw(4), s.raw(5), s.raw(6), s.component(7, 1),
                    upper(s.component(9, 1)), upper(s.component(9, 2)), upper(s.component(9, 3)), s.raw(10),
                    upper(s.component(11, 1)), s.raw(11), s.component(12, 1), s.raw(12), upper(s.component(15, 1)),
                    upper(s.component(16, 1)), s.value(18, 0, 1, 1), s.raw(18));
        }

        private void pid(Er7Segment s) {
            int reps = s.repetitions(3);
            List<PatientId> ids = new ArrayList<>(reps);
            for (int r = 0; r < reps; r++) {
                ids.add(new PatientId(s.value(3, r, 1, 1), s.value(3, r, 4, 1), s.value(3, r, 4, 2),
                        s.value(3, r, 5, 1)));
            }
            patientIds = ids;
        }

        private void obx(Er7Segment s) {
            obx.add(new Obx(text, obx.size() + 1, s.component(1, 1), upper(s.component(2, 1)),
                    new Coded(s.component(3, 1), s.component(3, 2)), s.fieldStart(5), s.fieldEnd(5)));
        }

        private static String upper(String value) {
            return value.toUpperCase(Locale.ROOT);
        }
    }

    /** The message text as it is now: segments CR-terminated (normalised by {@link #parse}). */
    public String text() {
        return text;
    }

    /** True when the text starts with {@code MSH} followed by a field separator. */
    public boolean isHl7() {
        return hl7;
    }

    /** Delimiters from MSH-1/MSH-2 ({@link Delimiters#DEFAULT} when not HL7). */
    public Delimiters delimiters() {
        return delimiters;
    }

    /** MSH-3, raw. */
    public String sendingApplication() {
        return msh.sendingApplication();
    }

    /** MSH-4.1, the hospital's namespace id (MSH-4.2, its universal id, when MSH-4.1 is empty). */
    public String sendingFacility() {
        return msh.sendingFacility();
    }

    /** MSH-4, raw (all components, for the ACK). */
    public String sendingFacilityRaw() {
        return msh.sendingFacilityRaw();
    }

    /** MSH-5, raw. */
    public String receivingApplication() {
        return msh.receivingApplication();
    }

    /** MSH-6, raw. */
    public String receivingFacility() {
        return msh.receivingFacility();
    }

    /** MSH-7.1. */
    public String dateTime() {
        return msh.dateTime();
    }

    /** MSH-9.1, upper case. */
    public String messageCode() {
        return msh.messageCode();
    }

    /** MSH-9.2, upper case. */
    public String triggerEvent() {
        return msh.triggerEvent();
    }

    /** MSH-9.3, upper case (absent before v2.3.1). */
    public String structure() {
        return msh.structure();
    }

    /** {@code MSH-9.1^MSH-9.2}, e.g. {@code ADT^A01}. */
    public String messageType() {
        return msh.messageCode() + "^" + msh.triggerEvent();
    }

    /** MSH-10, raw (echoed in MSA-2). */
    public String controlId() {
        return msh.controlId();
    }

    /** MSH-11.1, upper case. */
    public String processingId() {
        return msh.processingId();
    }

    /** MSH-11, raw. */
    public String processingIdRaw() {
        return msh.processingIdRaw();
    }

    /** MSH-12.1 ({@code 2.5} for {@code 2.5^DEU}). */
    public String version() {
        return msh.version();
    }

    /** MSH-12, raw. */
    public String versionRaw() {
        return msh.versionRaw();
    }

    /** MSH-15.1, upper case. */
    public String acceptAckType() {
        return msh.acceptAckType();
    }

    /** MSH-16.1, upper case. */
    public String applicationAckType() {
        return msh.applicationAckType();
    }

    /** MSH-18, first repetition. */
    public String charset() {
        return msh.charset();
    }

    /** MSH-18, raw (all repetitions, for the ACK). */
    public String charsetRaw() {
        return msh.charsetRaw();
    }

    /** Number of MSH segments in the text: 1 for a well-formed frame. */
    public int messageCount() {
        return messageCount;
    }

    /** True when the message has a PID segment. */
    public boolean hasPid() {
        return hasPid;
    }

    /** PID-3 repetitions of the first PID, in order. */
    public List<PatientId> patientIds() {
        return patientIds;
    }

    /** True when the message has an MRG segment. */
    public boolean hasMrg() {
        return hasMrg;
    }

    /** MRG-1.1 of the first repetition (prior patient id). */
    public String mrg1() {
        return mrg1;
    }

    /** True when the message has a TXA segment. */
    public boolean hasTxa() {
        return hasTxa;
    }

    /** TXA-2.1 document type. */
    public String txa2() {
        return txa.txa2();
    }

    /** TXA-12.1 unique document number. */
    public String txa12() {
        return txa.txa12();
    }

    /** TXA-13.1 parent document number. */
    public String txa13() {
        return txa.txa13();
    }

    /** TXA-16.1 unique document file name. */
    public String txa16() {
        return txa.txa16();
    }

    /** TXA-17.1 document completion status. */
    public String txa17() {
        return txa.txa17();
    }

    /** TXA-19.1 document availability status. */
    public String txa19() {
        return txa.txa19();
    }

    /** True when the message has an OBR segment. */
    public boolean hasObr() {
        return hasObr;
    }

    /** OBR-2.1 placer order number of the first OBR (an ORU's document number when OBR-3 is empty). */
    public String obr2() {
        return obr2;
    }

    /** OBR-3.1 filler order number of the first OBR. */
    public String obr3() {
        return obr3;
    }

    /** OBR-4 code^text of the first OBR. */
    public Coded obr4() {
        return obr4;
    }

    /** Every OBX segment, in order. */
    public List<Obx> obxList() {
        return obxList;
    }

    @Override
    public String toString() { // identifiers that trace, never patient data or content
        return hl7 ? "HL7[" + messageType() + ", controlId=" + msh.controlId() + ", facility=" + msh.sendingFacility()
                + ", version=" + msh.version() + ", length=" + text.length() + "]" : "NOT-HL7[length=" + text.length() + "]";
    }
}
