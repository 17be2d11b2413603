package be.recordbroker.domain;

import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One document (KMEHR transaction) in a search result: metadata only, never the content.
 *
 * <p>{@link #toString()} is safe to log: the patient {@link Ssin} prints masked.
 *
 * @param id                routing id for the retrieve
 * @param patient           the patient the document is about
 * @param type              CD-TRANSACTION value, e.g. {@code sumehr}
 * @param title             display title, non-blank
 * @param dateTime          clinical date of the document
 * @param author            nullable
 * @param authorInstitution nullable
 * @param sourceHospital    sending system id (MSH-4 style), nullable
 * @param mimeType          e.g. {@code text/xml}, non-blank
 * @param size              size in bytes when known, nullable, never negative
 * @param sha256            lowercase hex SHA-256 of the content when known, nullable
 *                          (upper-case input is normalised)
 * @param status            lifecycle state
 */
public record DocumentEntry(DocumentId id, Ssin patient, String type, String title, OffsetDateTime dateTime,
                            Professional author, Institution authorInstitution, String sourceHospital,
                            String mimeType, Long size, String sha256, DocumentStatus status) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Validates the fields and normalises {@code sha256} to lowercase. */
    public DocumentEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(patient, "patient");
        if (!id.patientSsin().equals(patient.value())) {
            throw new IllegalArgumentException("the document id names another patient than the entry");
        }
        Texts.requireNonBlank(type, "type");
        Texts.requireNonBlank(title, "title");
        Objects.requireNonNull(dateTime, "dateTime");
        Texts.nullOrNonBlank(sourceHospital, "sourceHospital");
        Texts.requireNonBlank(mimeType, "mimeType");
        if (size != null && size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(sha256).matches()) {
                throw new IllegalArgumentException("sha256 must be 64 hex characters");
            }
        }
        Objects.requireNonNull(status, "status");
    }
}
