package be.recordbroker.hl7;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.InvalidIdentifierException;
import be.recordbroker.domain.Ssin;

/**
 * Decides whether an inbound message is accepted, and with which error it is not. Plain rules over an
 * {@link InboundMessage}; no HAPI model, no I/O (the facility check is the caller's predicate). Thread-safe.
 *
 * <p>Checks, first failure wins:
 * <ol>
 *   <li>not HL7 (no MSH) → REJECT 100 at {@code MSH^1};</li>
 *   <li>MSH-9.1 = {@code ACK} → IGNORE: an ACK is never acknowledged (two auto-acking peers would ping-pong
 *       forever); nothing is enqueued and the connection stays open;</li>
 *   <li>required MSH fields, in this order: MSH-4 (identifies the hospital, half of the duplicate key), MSH-9.1,
 *       MSH-9.2, MSH-10 (the other half, and MSA-2), MSH-11, MSH-12 → REJECT 101 at {@code MSH^1^n}. Lenient on
 *       purpose: MSH-3 and MSH-7 are not used by ingest and are not required;</li>
 *   <li>MSH-10 over {@value #MAX_IDENTIFIER} characters → REJECT 102 at {@code MSH^1^10};</li>
 *   <li>MSH-12.1 not in {@link Config#versions()} → REJECT 203;</li>
 *   <li>MSH-11.1 not in {@link Config#processingIds()} → REJECT 202;</li>
 *   <li>MSH-9 not in {@link Config#messageTypes()} → REJECT 200 when no accepted type has that MSH-9.1,
 *       else 201 (the trigger is the unsupported part);</li>
 *   <li>more than one MSH in the frame → REJECT 100 at {@code MSH^2} (one ACK answers one message);</li>
 *   <li>MSH-4.1 not a known hospital → ERROR 103 "table value not found": MSH-4.1 is an IS value of the
 *       user-defined table 0362 (Facility), which is exactly the hospital list. 204 "unknown key identifier" was
 *       considered, but HL7 meant it for records a message refers to (e.g. an unknown patient);</li>
 *   <li>no PID → ERROR 100; no SSIN in PID-3 → ERROR 101; an SSIN that fails {@link Ssin#parse} (or two
 *       different SSINs) → ERROR 102. The SSIN is the PID-3 repetition whose CX-5 is {@code NN} or whose CX-4
 *       (namespace id or universal id) equals {@link Config#ssinAssigningAuthority()}; other repetitions are not
 *       checked. Error texts never contain the number;</li>
 *   <li>MDM: no TXA → ERROR 100; TXA-12 empty → ERROR 101; T10 without TXA-13 → ERROR 101; T02/T10 without any
 *       OBX (neither content nor reference pointer, though MDM_T02 requires one) → ERROR 100; TXA-12 (or a T10's
 *       TXA-13) over {@value #MAX_IDENTIFIER} characters → ERROR 102;</li>
 *   <li>ORU: no OBR → ERROR 100; OBR-4 empty → ERROR 101; OBR-3 (or, without it, OBR-2: the document number)
 *       over {@value #MAX_IDENTIFIER} characters → ERROR 102;</li>
 *   <li>ADT^A40: no MRG → ERROR 100; MRG-1 empty → ERROR 101.</li>
 * </ol>
 */
public final class IngestRules {

    /**
     * The longest control id or document number accepted: HL7's own length for an ST/EI identifier, and what the
     * ingest ledger holds. A longer one accepted here failed later at the ledger, after its hub had the declaration.
     */
    public static final int MAX_IDENTIFIER = DocumentDeclaration.MAX_LOCAL_ID;

    /**
     * What is accepted. {@code messageTypes} are {@code MSH-9.1^MSH-9.2} ({@code ADT^A01}); {@code processingIds}
     * are MSH-11.1 values ({@code P}; add {@code T} or {@code D} for test feeds); {@code ssinAssigningAuthority}
     * is nullable.
     */
    public record Config(Set<String> versions, Set<String> messageTypes, Set<String> processingIds,
                         String ssinAssigningAuthority) {

        public Config {
            versions = normalised(versions, false);
            messageTypes = normalised(messageTypes, true);
            processingIds = normalised(processingIds, true);
            ssinAssigningAuthority = ssinAssigningAuthority == null || ssinAssigningAuthority.isBlank()
                    ? null : ssinAssigningAuthority.trim();
        }

        /** HL7 2.3 to 2.6; ADT A01/A04/A08/A28/A31/A40, ORU^R01, MDM T01/T02/T10/T11; production only. */
        public static Config defaults() {
            return new Config(Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6"),
                    Set.of("ADT^A01", "ADT^A04", "ADT^A08", "ADT^A28", "ADT^A31", "ADT^A40", "ORU^R01",
                            "MDM^T01", "MDM^T02", "MDM^T10", "MDM^T11"),
                    Set.of("P"), null);
        }

        /** A copy with other processing ids, e.g. {@code withProcessingIds("P", "T")}. */
        public Config withProcessingIds(String... ids) {
            return new Config(versions, messageTypes, Set.of(ids), ssinAssigningAuthority);
        }

        /** A copy with another SSIN assigning authority (null for none). */
        public Config withSsinAssigningAuthority(String authority) {
            return new Config(versions, messageTypes, processingIds, authority);
        }

        private static Set<String> normalised(Set<String> values, boolean upperCase) {
            Objects.requireNonNull(values, "a Config set is null");
            return values.stream()
                    .map(v -> upperCase ? v.trim().toUpperCase(Locale.ROOT) : v.trim())
                    .collect(Collectors.toUnmodifiableSet());
        }
    }

    private final Config config;
    private final Set<String> messageCodes;

    /** Rules for one configuration (one per listener; shared by its threads). */
    public IngestRules(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        Set<String> codes = new LinkedHashSet<>();
        for (String type : config.messageTypes()) {
            int caret = type.indexOf('^');
            codes.add(caret < 0 ? type : type.substring(0, caret));
        }
        this.messageCodes = Set.copyOf(codes);
    }

    /** The configuration these rules apply. */
    public Config config() {
        return config;
    }

    /**
     * The decision for one message. Never throws: a facility predicate that throws gives UNAVAILABLE (the
     * hospital directory failed, not the message).
     */
    public IngestDecision check(InboundMessage m, Predicate<String> knownFacility) {
        if (!m.isHl7()) {
            return IngestDecision.reject(Hl7Error.SEGMENT_SEQUENCE_ERROR, "MSH^1",
                    "Not an HL7 v2 message: the frame must start with an MSH segment");
        }
        if ("ACK".equals(m.messageCode())) {
            return IngestDecision.ignore("inbound ACK (MSH-10 " + m.controlId() + "): an ACK is never acknowledged");
        }
        IngestDecision envelope = checkEnvelope(m);
        if (envelope != null) {
            return envelope;
        }
        boolean known;
        try {
            known = knownFacility.test(m.sendingFacility());
        } catch (RuntimeException e) {
            return IngestDecision.unavailable("Hospital directory unavailable, retry later");
        }
        if (!known) {
            return IngestDecision.error(Hl7Error.TABLE_VALUE_NOT_FOUND, "MSH^1^4",
                    "Unknown sending facility (MSH-4): not a hospital known to the broker");
        }
        return checkContent(m);
    }

    private IngestDecision checkEnvelope(InboundMessage m) {
        IngestDecision missing = firstMissing(m);
        if (missing != null) {
            return missing;
        }
        if (m.controlId().length() > MAX_IDENTIFIER) {
            return IngestDecision.reject(Hl7Error.DATA_TYPE_ERROR, "MSH^1^10",
                    "Message control id (MSH-10) is longer than " + MAX_IDENTIFIER + " characters");
        }
        if (!config.versions().contains(m.version())) {
            return IngestDecision.reject(Hl7Error.UNSUPPORTED_VERSION_ID, "MSH^1^12",
                    "Unsupported HL7 version (MSH-12); accepted: " + sorted(config.versions()));
        }
        if (!config.processingIds().contains(m.processingId())) {
            return IngestDecision.reject(Hl7Error.UNSUPPORTED_PROCESSING_ID, "MSH^1^11",
                    "Unsupported processing id (MSH-11); accepted: " + sorted(config.processingIds()));
        }
        if (!config.messageTypes().contains(m.messageType())) {
            return messageCodes.contains(m.messageCode())
                    ? IngestDecision.reject(Hl7Error.UNSUPPORTED_EVENT_CODE, "MSH^1^9^1^2",
                    "Unsupported trigger event (MSH-9.2) for " + m.messageCode())
                    : IngestDecision.reject(Hl7Error.UNSUPPORTED_MESSAGE_TYPE, "MSH^1^9^1^1",
                    "Unsupported message type (MSH-9.1)");
        }
        if (m.messageCount() > 1) {
            return IngestDecision.reject(Hl7Error.SEGMENT_SEQUENCE_ERROR, "MSH^2",
                    "More than one message in one frame: send one message per MLLP frame");
        }
        return null;
    }

    private static IngestDecision firstMissing(InboundMessage m) {
        String[][] required = {
                {m.sendingFacility(), "MSH^1^4", "Sending facility (MSH-4) is required"},
                {m.messageCode(), "MSH^1^9^1^1", "Message type (MSH-9.1) is required"},
                {m.triggerEvent(), "MSH^1^9^1^2", "Trigger event (MSH-9.2) is required"},
                {m.controlId().trim(), "MSH^1^10", "Message control id (MSH-10) is required"},
                {m.processingId(), "MSH^1^11", "Processing id (MSH-11) is required"},
                {m.version(), "MSH^1^12", "Version id (MSH-12) is required"}};
        for (String[] r : required) {
            if (r[0].isEmpty()) {
                return IngestDecision.reject(Hl7Error.REQUIRED_FIELD_MISSING, r[1], r[2]);
            }
        }
        return null;
    }

    private IngestDecision checkContent(InboundMessage m) {
        if (!m.hasPid()) {
            return IngestDecision.error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "PID^1", "PID segment is required");
        }
        SsinCheck ssin = ssin(m);
        if (ssin.error() != null) {
            return ssin.error();
        }
        IngestDecision byType = switch (m.messageCode()) {
            case "MDM" -> checkMdm(m);
            case "ORU" -> checkOru(m);
            case "ADT" -> "A40".equals(m.triggerEvent()) ? checkMerge(m) : null;
            default -> null;
        };
        return byType != null ? byType : IngestDecision.accept(ssin.ssin());
    }

    /** Either the SSIN or the content error that prevents reading it. */
    private record SsinCheck(Ssin ssin, IngestDecision error) {
        static SsinCheck error(String code, String location, String text) {
            return new SsinCheck(null, IngestDecision.error(code, location, text));
        }
    }

    private SsinCheck ssin(InboundMessage m) {
        List<InboundMessage.PatientId> ids = m.patientIds();
        Ssin found = null;
        boolean candidate = false;
        for (int rep = 0; rep < ids.size(); rep++) {
            InboundMessage.PatientId id = ids.get(rep);
            if (!isSsinRepetition(id)) {
                continue;
            }
            candidate = true;
            String location = "PID^1^3^" + (rep + 1) + "^1";
            if (id.id().isEmpty()) {
                return SsinCheck.error(Hl7Error.REQUIRED_FIELD_MISSING, location,
                        "PID-3 SSIN repetition has no identifier (CX-1)");
            }
            Ssin ssin;
            try {
                ssin = Ssin.parse(id.id());
            } catch (InvalidIdentifierException e) {
                // Ssin's messages never repeat the input, so the text stays free of the number
                return SsinCheck.error(Hl7Error.DATA_TYPE_ERROR, location, "PID-3 SSIN is invalid: " + e.getMessage());
            }
            if (found != null && !found.equals(ssin)) {
                return SsinCheck.error(Hl7Error.DATA_TYPE_ERROR, location, "PID-3 holds two different SSINs");
            }
            found = ssin;
        }
        if (!candidate) {
            return SsinCheck.error(Hl7Error.REQUIRED_FIELD_MISSING, "PID^1^3",
                    "PID-3 has no SSIN (a repetition with identifier type NN"
                            + (config.ssinAssigningAuthority() != null ? " or the SSIN assigning authority" : "")
                            + ")");
        }
        return new SsinCheck(found, null);
    }

    private boolean isSsinRepetition(InboundMessage.PatientId id) {
        if ("NN".equalsIgnoreCase(id.identifierType())) {
            return true;
        }
        String authority = config.ssinAssigningAuthority();
        return authority != null && (authority.equalsIgnoreCase(id.assigningAuthority())
                || authority.equalsIgnoreCase(id.assigningAuthorityUniversalId()));
    }

    private static IngestDecision checkMdm(InboundMessage m) {
        if (!m.hasTxa()) {
            return IngestDecision.error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "TXA^1", "TXA segment is required");
        }
        if (m.txa12().isEmpty()) {
            return IngestDecision.error(Hl7Error.REQUIRED_FIELD_MISSING, "TXA^1^12",
                    "Unique document number (TXA-12) is required");
        }
        if (m.txa12().length() > MAX_IDENTIFIER) {
            return tooLong("TXA^1^12", "Unique document number (TXA-12)");
        }
        if ("T10".equals(m.triggerEvent()) && m.txa13().length() > MAX_IDENTIFIER) { // only a T10 reads it
            return tooLong("TXA^1^13", "Parent document number (TXA-13)");
        }
        if ("T10".equals(m.triggerEvent()) && m.txa13().isEmpty()) {
            return IngestDecision.error(Hl7Error.REQUIRED_FIELD_MISSING, "TXA^1^13",
                    "Parent document number (TXA-13) is required for a replacement (T10)");
        }
        boolean withContent = "T02".equals(m.triggerEvent()) || "T10".equals(m.triggerEvent());
        if (withContent && m.obxList().isEmpty()) {
            return IngestDecision.error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "OBX^1",
                    "OBX is required for " + m.messageType() + " (content or reference pointer)");
        }
        return null;
    }

    private static IngestDecision checkOru(InboundMessage m) {
        if (!m.hasObr()) {
            return IngestDecision.error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "OBR^1", "OBR segment is required");
        }
        if (m.obr4().isEmpty()) {
            return IngestDecision.error(Hl7Error.REQUIRED_FIELD_MISSING, "OBR^1^4",
                    "Universal service identifier (OBR-4) is required");
        }
        if (m.obr3().length() > MAX_IDENTIFIER) {
            return tooLong("OBR^1^3", "Filler order number (OBR-3)");
        }
        if (m.obr3().isEmpty() && m.obr2().length() > MAX_IDENTIFIER) { // then the document number
            return tooLong("OBR^1^2", "Placer order number (OBR-2)");
        }
        return null;
    }

    private static IngestDecision tooLong(String location, String field) {
        return IngestDecision.error(Hl7Error.DATA_TYPE_ERROR, location,
                field + " is longer than " + MAX_IDENTIFIER + " characters");
    }

    private static IngestDecision checkMerge(InboundMessage m) {
        if (!m.hasMrg()) {
            return IngestDecision.error(Hl7Error.SEGMENT_SEQUENCE_ERROR, "MRG^1", "MRG segment is required for A40");
        }
        if (m.mrg1().isEmpty()) {
            return IngestDecision.error(Hl7Error.REQUIRED_FIELD_MISSING, "MRG^1^1",
                    "Prior patient identifier (MRG-1) is required for A40");
        }
        return null;
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", values.stream().sorted().toList());
    }
}
