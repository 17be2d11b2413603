package be.recordbroker.ingest;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.primitive.CommonTS;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import be.fgov.ehealth.standards.kmehr.cd.v1.CDSEX;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDSEXvalues;
import be.fgov.ehealth.standards.kmehr.schema.v1.DateType;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.fgov.ehealth.standards.kmehr.schema.v1.SexType;
import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.Ssin;
import be.recordbroker.hl7.InboundMessage;
import be.recordbroker.hl7.IngestRules;
import be.recordbroker.kmehr.HubCallException;
import be.recordbroker.kmehr.HubDeclarer;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.NetworkProperties;
import be.recordbroker.network.Network;

/**
 * Applies one queued HL7 message at the hospital's regional hub: MDM T01/T02 declare a document, T10 replaces its
 * parent (revoke, declare), T11 revokes, ORU^R01 declares a lab result, ADT A01/A04/A08/A28/A31 register the patient
 * (PutPatient), A40 moves the merged patient's documents to the surviving patient. Off the ACK path, so HAPI parses
 * the (already stripped) message fully and its Terser reads the fields.
 */
public class Hl7Applier {

    /**
     * Exchange property set once a message changed whose facts a patient has (an A40 merge: the merged and the
     * surviving patient), a {@code List<String>} of SSINs: the declare route has them forgotten on every instance.
     */
    public static final String PATIENTS_CHANGED = "rbPatientsChanged";

    static final String DECLARED = "DECLARED";
    static final String REVOKED = "REVOKED";
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Applier.class);

    private final Network network;
    private final IngestLedger ledger;
    private final HubDeclarer declarer;
    private final IngestProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;
    private final PipeParser parser;
    private final IngestRules rules;
    private final ObjectMapper json;

    private final DocumentOwnership ownership;
    private final MllpTrust trust;

    public Hl7Applier(Network network, IngestLedger ledger, HubDeclarer declarer, IngestProperties properties,
                      MeterRegistry meters, Clock clock, IngestRules rules, DocumentOwnership ownership,
                      MllpTrust trust, ObjectMapper json) {
        this.json = json;
        this.ownership = ownership;
        this.trust = trust;
        this.rules = rules;
        this.network = network;
        this.ledger = ledger;
        this.declarer = declarer;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.5"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        this.parser = context.getPipeParser();
    }

    public void apply(Exchange exchange) throws HL7Exception {
        var in = exchange.getMessage();
        String facility = in.getHeader(IngestQueues.FACILITY, String.class);
        String controlId = in.getHeader(IngestQueues.CONTROL_ID, String.class);
        String type = in.getHeader(IngestQueues.MESSAGE_TYPE, String.class);
        if (ledger.wasApplied(facility, controlId)) {
            // a resend (queued behind its first copy: same patient group) or a redelivery after a restart
            LOG.info("{} {} from {} was already applied; skipped", type, controlId, facility);
            Counter.builder("rb.hl7.duplicates.skipped")
                    .description("messages not applied again because the applied ledger already had them")
                    .tag("hospital", network.hospital(facility).isPresent() ? facility : "unknown")
                    .register(meters).increment();
            return;
        }
        Hospital hospital = network.hospital(facility).orElseThrow(() -> new HubCallException("?", true,
                "hospital " + facility + " is no longer in the network file", null));
        Message message = parser.parse(in.getBody(String.class));
        Fields fields = new Fields(message);
        // the SSIN is read again from PID-3 (no patient identifier travels as a queue property, where broker tools show it)
        Ssin patient = rules.check(InboundMessage.parse(in.getBody(String.class)), facilityKnown -> true).ssin();
        if (patient == null) {
            throw new HubCallException("?", true, type + " " + controlId + " has no valid SSIN any more", null);
        }
        String hub = hospital.hubCode();
        boolean mayWait = in.getHeader(IngestQueues.UNANNOUNCED_WAITS, 0, Integer.class)
                < properties.getRedelivery().getUnannouncedWaits();
        // the document a declaration announced: its row is written with the message's applied row, in one transaction
        DocumentDeclaration declared = switch (type) {
            case "MDM^T01", "MDM^T02" -> declare(hub, mdmDeclaration(fields, hospital, patient, contentOf(in)));
            case "MDM^T10" -> replace(hub, hospital, fields, mdmDeclaration(fields, hospital, patient, contentOf(in)),
                    mayWait);
            case "MDM^T11" -> {
                revoke(hub, hospital, fields.get("/.TXA-12-1"), mayWait);
                yield null;
            }
            case "ORU^R01" -> declare(hub, oruDeclaration(fields, hospital, patient, contentOf(in)));
            case "ADT^A01", "ADT^A04", "ADT^A08", "ADT^A28", "ADT^A31" -> {
                declarer.putPatient(hub, person(fields, patient), hospital.nihii().value(), hospital.name());
                yield null;
            }
            case "ADT^A40" -> {
                exchange.setProperty(PATIENTS_CHANGED,
                        java.util.List.of(merge(hub, hospital, fields, patient), patient.value()));
                yield null;
            }
            default -> throw new HubCallException(hub, true, "no rule to apply " + type, null);
        };
        String enqueuedAt = in.getHeader(IngestQueues.ENQUEUED_AT, String.class);
        // the enqueue time stands for the accept time if a crash lost the listener's row before it was written
        ledger.recordApplied(facility, controlId, type, hub,
                enqueuedAt == null ? null : new java.sql.Timestamp(Long.parseLong(enqueuedAt)),
                declared == null ? null : new IngestLedger.AnnouncedDocument(hub, DECLARED, declared));
        if (enqueuedAt != null) {
            Timer.builder("rb.hl7.enqueue.to.applied").description("time from the durable enqueue to the hub's answer")
                    .tag("hub", hub).register(meters)
                    .record(java.time.Duration.ofMillis(Math.max(0, clock.millis() - Long.parseLong(enqueuedAt))));
        }
    }

    /**
     * Declares {@code d} at the hub and returns it; its document row is saved with the message's applied row (a
     * broker stopped in between applies the redelivered message again, as it always did without its applied row).
     */
    private DocumentDeclaration declare(String hub, DocumentDeclaration d) {
        // checked before the ACK too; again here, as another hospital's message may have been applied in between
        refuseIf(ownership.takenNumber(hub, d.localId(), d.hospitalFacility(), ""), hub, d.hospitalFacility());
        declarer.declare(hub, d);
        return d;
    }

    /**
     * T10: the parent (TXA-13) is revoked (its row says so at once), then the replacement declared and returned. A
     * parent not announced yet is waited for; after the last wait the replacement is declared alone.
     */
    private DocumentDeclaration replace(String hub, Hospital hospital, Fields fields, DocumentDeclaration replacement,
                                        boolean mayWait) throws HL7Exception {
        String parent = fields.get("/.TXA-13-1");
        refuseIf(ownership.othersDocument(hub, parent, hospital.facilityId(), ""), hub, hospital.facilityId());
        Optional<IngestLedger.AnnouncedDocument> known = ledger.document(hospital.facilityId(), parent);
        if (known.isEmpty() && parent != null && !parent.isBlank() && mayWait) {
            throw new DocumentNotYetAnnounced("T10 replaces document " + parent + ", not announced yet");
        }
        if (known.isPresent() && DECLARED.equals(known.get().status())) {
            declarer.revoke(known.get().hub(), known.get().declaration().patient().value(), parent,
                    hospital.nihii().value(), hospital.name());
            ledger.setStatus(hospital.facilityId(), parent, REVOKED);
        }
        return declare(hub, replacement);
    }

    /** T11: a document not announced yet is waited for; after the last wait the T11 is dead-lettered. */
    private void revoke(String hub, Hospital hospital, String documentNumber, boolean mayWait) {
        refuseIf(ownership.othersDocument(hub, documentNumber, hospital.facilityId(), ""), hub, hospital.facilityId());
        Optional<IngestLedger.AnnouncedDocument> known = ledger.document(hospital.facilityId(), documentNumber);
        if (known.isEmpty() && mayWait) {
            throw new DocumentNotYetAnnounced("T11 cancels document " + documentNumber + ", not announced yet");
        }
        if (known.isEmpty()) {
            throw new HubCallException(hub, true, "T11 cancels document " + documentNumber
                    + ", which this hospital never announced", null);
        }
        if (DECLARED.equals(known.get().status())) {
            declarer.revoke(known.get().hub(), known.get().declaration().patient().value(), documentNumber,
                    hospital.nihii().value(), hospital.name());
            ledger.setStatus(hospital.facilityId(), documentNumber, REVOKED);
        }
    }

    /**
     * A40: every document still declared for the merged patient (MRG-1) is re-declared for the survivor (PID-3).
     * Returns the merged patient's SSIN.
     */
    private String merge(String hub, Hospital hospital, Fields fields, Ssin survivor) throws HL7Exception {
        String merged = fields.get("/.MRG-1-1");
        if (!Ssin.isValid(merged)) {
            throw new HubCallException(hub, true, "A40: MRG-1 is not a valid SSIN", null);
        }
        String mergedSsin = Ssin.parse(merged).value();
        refuseIf(ownership.mergedPatient(mergedSsin, hospital.facilityId()), hub, hospital.facilityId());
        for (IngestLedger.AnnouncedDocument document : ledger.declaredDocumentsOf(hospital.facilityId(), mergedSsin)) {
            DocumentDeclaration old = document.declaration();
            declarer.revoke(document.hub(), mergedSsin, old.localId(), hospital.nihii().value(), hospital.name());
            DocumentDeclaration moved = new DocumentDeclaration(old.hospitalFacility(), hospital.nihii().value(),
                    hospital.name(), survivor, old.localId(), old.type(), old.title(), old.dateTime(), old.author(),
                    old.content(), old.sourcePointer());
            declarer.declare(document.hub(), moved);
            ledger.saveDocument(document.hub(), DECLARED, moved);
        }
        return mergedSsin;
    }

    /** A message that is not the sender's to apply: counted, then a permanent failure (dead letter, not retried). */
    private void refuseIf(Optional<DocumentOwnership.Refusal> refusal, String hub, String facility) {
        if (refusal.isPresent()) {
            trust.refused(facility, refusal.get().reason());
            throw new HubCallException(hub, true, refusal.get().decision().error().text(), null);
        }
    }

    private DocumentDeclaration mdmDeclaration(Fields t, Hospital hospital, Ssin patient,
                                               Optional<DocumentDeclaration.ContentFingerprint> content)
            throws HL7Exception {
        String documentNumber = t.get("/.TXA-12-1");
        String txa2 = t.get("/.TXA-2-1");
        String type = mapType(properties.getTypeMap().getTxa2(), txa2, "MDM");
        String title = firstNonBlank(t.get("/.OBX-3-2"), t.get("/.TXA-2-2"), txa2, type);
        OffsetDateTime when = firstDate(t.get("/.TXA-4-1"), t.get("/.TXA-6-1"), t.get("/MSH-7-1"));
        DocumentDeclaration.AuthorRef author = author(t.get("/.TXA-5-1"), t.get("/.TXA-5-2"), t.get("/.TXA-5-3"));
        return new DocumentDeclaration(hospital.facilityId(), hospital.nihii().value(), hospital.name(), patient,
                documentNumber, type, title, when, author, content.orElse(null), sourcePointer(t, hospital, documentNumber));
    }

    private DocumentDeclaration oruDeclaration(Fields t, Hospital hospital, Ssin patient,
                                               Optional<DocumentDeclaration.ContentFingerprint> content)
            throws HL7Exception {
        String documentNumber = firstNonBlank(t.get("/.OBR-3-1"), t.get("/.OBR-2-1"), t.get("/MSH-10"));
        String code = t.get("/.OBR-4-1");
        String type = mapType(properties.getTypeMap().getObr4(), code, "ORU^R01");
        String title = firstNonBlank(t.get("/.OBR-4-2"), code, type);
        OffsetDateTime when = firstDate(t.get("/.OBR-7-1"), t.get("/MSH-7-1"));
        DocumentDeclaration.AuthorRef author = author(t.get("/.OBR-32-1-1"), null, null);
        if (author == null) {
            author = author(t.get("/.OBR-16-1"), t.get("/.OBR-16-2"), t.get("/.OBR-16-3"));
        }
        return new DocumentDeclaration(hospital.facilityId(), hospital.nihii().value(), hospital.name(), patient,
                documentNumber, type, title, when, author, content.orElse(null), sourcePointer(t, hospital, documentNumber));
    }

    /** CD-TRANSACTION for a feed's code: the configured map, the code itself if it already is a KMEHR code, else
     * the message type's default. */
    private String mapType(Map<String, String> map, String code, String messageType) {
        if (code != null && map.containsKey(code)) {
            return map.get(code);
        }
        if (code != null && code.matches("[a-z][a-z-]{2,40}")) {
            return code;
        }
        Map<String, String> byType = properties.getTypeMap().getMessageType();
        return byType.getOrDefault(messageType, byType.getOrDefault(messageType.split("\\^")[0], "note"));
    }

    private String sourcePointer(Fields t, Hospital hospital, String documentNumber) {
        NetworkProperties.SourceKind kind = hospital.source().kind();
        String url = hospital.source().endpoint().url();
        return kind == NetworkProperties.SourceKind.REST ? url.replace("{localId}", documentNumber) : url;
    }

    private static DocumentDeclaration.AuthorRef author(String id, String family, String given) {
        if (id == null || id.isBlank()) {
            return null;
        }
        String digits = id.replaceAll("[^0-9]", "");
        return digits.length() == 11 || digits.length() == 8
                ? new DocumentDeclaration.AuthorRef(digits, family, given) : null;
    }

    private Optional<DocumentDeclaration.ContentFingerprint> contentOf(org.apache.camel.Message in) {
        String value = in.getHeader(IngestQueues.CONTENT, String.class);
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode contents = json.readTree(value).path("contents");
            if (!contents.isArray() || contents.isEmpty()) {
                return Optional.empty();
            }
            JsonNode first = contents.get(0);
            return Optional.of(new DocumentDeclaration.ContentFingerprint(first.path("sha256").asText(),
                    first.path("size").asLong(), first.path("mimeType").asText()));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private PersonType person(Fields t, Ssin ssin) throws HL7Exception {
        PersonType person = new PersonType();
        person.getId().add(Kmehr.inss(ssin.value()));
        String given = t.get("/.PID-5-2");
        person.getFirstname().add(given == null ? "" : given);
        String family = t.get("/.PID-5-1");
        person.setFamilyname(family == null ? "" : family);
        String birth = t.get("/.PID-7-1");
        if (birth != null && birth.length() >= 8) {
            DateType date = new DateType();
            date.setDate(Kmehr.date(java.time.LocalDate.parse(birth.substring(0, 8),
                    java.time.format.DateTimeFormatter.BASIC_ISO_DATE)));
            person.setBirthdate(date);
        }
        String sex = t.get("/.PID-8");
        SexType sexType = new SexType();
        CDSEX cd = new CDSEX();
        cd.setS("CD-SEX");
        cd.setSV("1.1");
        cd.setValue("M".equals(sex) ? CDSEXvalues.MALE : "F".equals(sex) ? CDSEXvalues.FEMALE : CDSEXvalues.UNKNOWN);
        sexType.setCd(cd);
        person.setSex(sexType);
        return person;
    }

    /**
     * One message's fields by Terser path ({@code /.TXA-12-1}), each segment looked up once: for a {@code /.} path the
     * Terser walks the message's structure from its start, instantiating the empty groups it passes, and doing that
     * for each of a declaration's dozen fields was a tenth of the declaring consumer's CPU (declare benchmark, JFR).
     */
    private static final class Fields {

        private final Terser terser;
        private final Map<String, Optional<Segment>> segments = new HashMap<>();

        Fields(Message message) {
            this.terser = new Terser(message);
        }

        /** A field, or null when the message has no such segment or field (Terser throws for absent segments). */
        String get(String path) {
            try {
                Optional<Segment> segment = segments.computeIfAbsent(path.substring(0, path.indexOf('-')),
                        this::segment);
                if (segment.isEmpty()) {
                    return null;
                }
                int[] at = Terser.getIndices(path);
                return Terser.get(segment.get(), at[0], at[1], at[2], at[3]);
            } catch (HL7Exception | RuntimeException absent) {
                return null;
            }
        }

        private Optional<Segment> segment(String spec) {
            try {
                return Optional.of(terser.getSegment(spec));
            } catch (HL7Exception | RuntimeException absent) {
                return Optional.empty();
            }
        }
    }

    private OffsetDateTime firstDate(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                try {
                    return new CommonTS(value).getValueAsCalendar().toInstant().atZone(ZoneId.systemDefault())
                            .toOffsetDateTime();
                } catch (Exception ignored) {
                    // try the next one
                }
            }
        }
        return OffsetDateTime.now(clock);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** Called before each retry: counts redeliveries per hub. */
    public void redelivering(Exchange exchange) {
        String hub = exchange.getMessage().getHeader(IngestQueues.HUB, "?", String.class);
        Counter.builder("rb.hl7.redeliveries").description("retries of a hub call").tag("hub", hub)
                .register(meters).increment();
    }

    /**
     * Before a message naming a document not announced yet goes back to the end of its hub's queue, delayed: its wait
     * is counted on the message (every instance sees the same count) and in a meter. No hub pause: the hub is fine.
     */
    public void waitingForAnnouncement(Exchange exchange) {
        var in = exchange.getMessage();
        int waits = in.getHeader(IngestQueues.UNANNOUNCED_WAITS, 0, Integer.class) + 1;
        in.setHeader(IngestQueues.UNANNOUNCED_WAITS, waits);
        String hub = in.getHeader(IngestQueues.HUB, "?", String.class);
        Counter.builder("rb.hl7.unannounced.waits")
                .description("messages sent back to wait for the announcement of the document they name")
                .tag("hub", hub).register(meters).increment();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.info("{} {} from {} waits ({} of {}): {}", in.getHeader(IngestQueues.MESSAGE_TYPE),
                in.getHeader(IngestQueues.CONTROL_ID), in.getHeader(IngestQueues.FACILITY), waits,
                properties.getRedelivery().getUnannouncedWaits(), cause == null ? "" : cause.getMessage());
    }

    /** Before a message goes to the dead-letter queue: why, and when. Content never travels, so none is kept. */
    public void deadLettered(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        var in = exchange.getMessage();
        String reason = cause == null ? "unknown" : cause.getMessage();
        in.setHeader(IngestQueues.DEAD_REASON, reason == null ? cause.getClass().getSimpleName()
                : reason.length() > 500 ? reason.substring(0, 500) : reason);
        in.setHeader(IngestQueues.DEAD_AT, OffsetDateTime.now(clock).toString());
        // a duplicate-detection id (messages queued by earlier versions) would make the broker drop this copy on the
        // dead-letter address if the same message is dead-lettered again after a replay
        in.removeHeader(IngestQueueSender.DUPLICATE_ID);
        LOG.warn("dead-lettered {} {} from {}: {}", in.getHeader(IngestQueues.MESSAGE_TYPE),
                in.getHeader(IngestQueues.CONTROL_ID), in.getHeader(IngestQueues.FACILITY),
                in.getHeader(IngestQueues.DEAD_REASON));
    }
}
