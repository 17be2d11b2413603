package be.recordbroker.ingest;

import java.util.Optional;

import be.recordbroker.domain.Ssin;
import be.recordbroker.hl7.Hl7Error;
import be.recordbroker.hl7.InboundMessage;
import be.recordbroker.hl7.IngestDecision;
import be.recordbroker.network.Hospital;

/**
 * A hospital may declare, replace, cancel or merge only what is its own. The hub knows a document by its number
 * alone (the broker declares every hospital of a hub under that hub's one source label), so a hospital that used
 * another's document number would overwrite or revoke the other's document; and an A40 moves documents to another
 * patient. Checked against the ingest ledger ({@link IngestLedger}: who announced which number for whom) before the
 * ACK, so the sender gets AR at once, and again when the message is applied (two hospitals' messages may pass the
 * first check before either is applied). A number nobody announced yet is free: the first hospital to use it owns it.
 * For a declaration only the same hub matters (numbers are per hub); for a replacement or cancellation a number is
 * "another hospital's" when another hospital announced it at this hub, or anywhere while this hospital never did.
 *
 * <ul>
 *   <li>MDM^T01/T02: TXA-12 announced by another hospital at this hub: AR, ERR 205 (duplicate key).</li>
 *   <li>MDM^T10: its parent (TXA-13) is another hospital's: AR, ERR 204; its TXA-12 announced by another hospital
 *   at this hub: ERR 205.</li>
 *   <li>MDM^T11: TXA-12 is another hospital's: AR, ERR 204 (unknown key: not this hospital's).</li>
 *   <li>ORU^R01: OBR-3 announced by another hospital: AR, ERR 205.</li>
 *   <li>ADT^A40: another hospital has documents declared for the merged patient (MRG-1): AR, ERR 206 (record
 *   locked). Such a merge spans hospitals and is done at the hub, not from one hospital's feed.</li>
 * </ul>
 * One indexed ledger query per such message (V6__hl7_document_ownership.sql); ADT registrations are not checked.
 */
public final class DocumentOwnership {

    /** Bounded reason labels of rb_hl7_refused_total. */
    public static final String FOREIGN_DOCUMENT = "foreign-document";
    public static final String FOREIGN_PATIENT = "foreign-patient";

    /** Why a message is refused: the metric's reason label and the AR to answer. */
    public record Refusal(String reason, IngestDecision decision) {
    }

    private final IngestLedger ledger;

    public DocumentOwnership(IngestLedger ledger) {
        this.ledger = ledger;
    }

    /** Empty when {@code sender} may do what {@code m} asks; else the refusal. */
    public Optional<Refusal> check(InboundMessage m, Hospital sender) {
        String hub = sender.hubCode();
        String facility = sender.facilityId();
        String type = m.messageType();
        if (type == null) {
            return Optional.empty();
        }
        switch (type) {
            case "MDM^T01", "MDM^T02" -> {
                return takenNumber(hub, m.txa12(), facility, "TXA^1^12");
            }
            case "MDM^T10" -> {
                Optional<Refusal> parent = othersDocument(hub, m.txa13(), facility, "TXA^1^13");
                return parent.isPresent() ? parent : takenNumber(hub, m.txa12(), facility, "TXA^1^12");
            }
            case "MDM^T11" -> {
                return othersDocument(hub, m.txa12(), facility, "TXA^1^12");
            }
            case "ORU^R01" -> {
                return takenNumber(hub, m.obr3(), facility, "OBR^1^3");
            }
            case "ADT^A40" -> {
                return mergedPatient(m.mrg1(), facility);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** The A40 rule on its own, for the applier (which reads MRG-1 with HAPI). */
    public Optional<Refusal> mergedPatient(String mrg1, String facility) {
        if (blank(mrg1) || !Ssin.isValid(mrg1)) {
            return Optional.empty(); // the applier refuses an invalid MRG-1 itself
        }
        if (ledger.declaredByOthers(Ssin.parse(mrg1).value(), facility)) {
            return Optional.of(new Refusal(FOREIGN_PATIENT, IngestDecision.reject("206", "MRG^1^1",
                    "MRG-1 names a patient with documents declared by another hospital: merge at the hub")));
        }
        return Optional.empty();
    }

    /**
     * The replacement/cancellation rule on its own (T10's parent, T11's document): another hospital announced the
     * number at this hub, or announced it anywhere and this hospital never did.
     */
    public Optional<Refusal> othersDocument(String hub, String number, String facility, String location) {
        if (!blank(number) && ledger.numberOfOthers(hub, number, facility)) {
            return Optional.of(new Refusal(FOREIGN_DOCUMENT, IngestDecision.reject(Hl7Error.UNKNOWN_KEY_IDENTIFIER,
                    location, field(location) + " names a document declared by another hospital: only its declarer may "
                    + "replace or cancel it")));
        }
        return Optional.empty();
    }

    /** The declaration rule on its own, for the applier (which knows the number it declares). */
    public Optional<Refusal> takenNumber(String hub, String number, String facility, String location) {
        if (!blank(number) && ledger.numberTakenByOthers(hub, number, facility)) {
            return Optional.of(new Refusal(FOREIGN_DOCUMENT, IngestDecision.reject("205", location,
                    field(location) + " is a document number another hospital declared at this hub")));
        }
        return Optional.empty();
    }

    /** TXA^1^12 -> TXA-12 */
    private static String field(String location) {
        String[] parts = location.split("\\^");
        return parts.length == 3 ? parts[0] + "-" + parts[2] : "the document number";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
