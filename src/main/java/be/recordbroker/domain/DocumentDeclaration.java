package be.recordbroker.domain;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A document a hospital announces, to be declared by reference at its regional hub (Original Source Principle: the
 * hub learns where the document is and what it is, never its bytes).
 *
 * @param hospitalFacility the hospital's MSH-4 id
 * @param hospitalNihii    the hospital's institution NIHII (its author party)
 * @param hospitalName     for the author party
 * @param patient          whom the document is about
 * @param localId          the hospital's unique document number (TXA-12, OBR-3): the transaction's LOCAL id
 * @param type             CD-TRANSACTION code
 * @param title            human title (hub's local code display name)
 * @param dateTime         when the document was made
 * @param author           the authoring professional, if the feed names one
 * @param content          hash, size and media type of the content, if the feed carried it (then dropped)
 * @param sourcePointer    where the source serves it (an RP pointer or the hospital's URL), if known
 */
public record DocumentDeclaration(String hospitalFacility, String hospitalNihii, String hospitalName, Ssin patient,
                                  String localId, String type, String title, OffsetDateTime dateTime,
                                  AuthorRef author, ContentFingerprint content, String sourcePointer) {

    public DocumentDeclaration {
        Objects.requireNonNull(hospitalFacility, "hospitalFacility");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(localId, "localId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dateTime, "dateTime");
        if (localId.isBlank() || localId.length() > MAX_LOCAL_ID) {
            throw new InvalidDeclarationException("a document number must have 1 to " + MAX_LOCAL_ID + " characters");
        }
        title = capped(title == null || title.isBlank() ? type : title);
    }

    /** The longest document number (TXA-12, OBR-3): HL7's own length for an identifier, and the ingest ledger's. */
    public static final int MAX_LOCAL_ID = 199;

    /** A declaration a feed's message cannot make, whatever is tried again: its data is wrong. */
    public static final class InvalidDeclarationException extends IllegalArgumentException {
        public InvalidDeclarationException(String message) {
            super(message);
        }
    }

    /**
     * The longest free text kept of a feed's title and author names (the ingest ledger's columns; a feed may send
     * more than HL7's own 199 characters): a longer one is cut there and ends with "…", at the hub as in the ledger.
     */
    public static final int MAX_TEXT = 256;

    static String capped(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        int end = MAX_TEXT - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // not half a character
        }
        return text.substring(0, end) + "…";
    }

    /** The authoring professional as a feed names him: NIHII (may be unverified) and names. */
    public record AuthorRef(String nihii, String familyName, String givenName) {
        public AuthorRef {
            familyName = capped(familyName);
            givenName = capped(givenName);
        }
    }

    /** What is known of content the broker saw and dropped: SHA-256 (hex), size in bytes, media type. */
    public record ContentFingerprint(String sha256, long size, String mimeType) {
        public ContentFingerprint {
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative");
            }
        }
    }
}
