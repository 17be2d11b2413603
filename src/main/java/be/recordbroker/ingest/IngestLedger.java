package be.recordbroker.ingest;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ingest ledger in the database (H2 by default, PostgreSQL in prod): which messages were accepted and applied,
 * and which documents a hospital announced. Identifiers and states only, never content. Shared by every broker
 * instance that uses the same database, so a duplicate is recognised whichever instance receives it.
 */
public class IngestLedger {

    /** A document announced by a hospital's feed, and where it was declared. */
    public record AnnouncedDocument(String facility, String documentNumber, String patientSsin, String hub,
                                    String localId, String status) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public IngestLedger(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    public boolean wasAccepted(String facility, String controlId) {
        return exists("SELECT COUNT(*) FROM hl7_accepted WHERE facility = ? AND control_id = ?", facility, controlId);
    }

    /** Records an accepted message; false when it was already recorded (a concurrent duplicate). */
    public boolean recordAccepted(String facility, String controlId, String messageType) {
        try {
            jdbc.update("INSERT INTO hl7_accepted (facility, control_id, message_type, accepted_at) VALUES (?, ?, ?, ?)",
                    facility, controlId, messageType, now());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public boolean wasApplied(String facility, String controlId) {
        return exists("SELECT COUNT(*) FROM hl7_applied WHERE facility = ? AND control_id = ?", facility, controlId);
    }

    public boolean recordApplied(String facility, String controlId, String hub) {
        try {
            jdbc.update("INSERT INTO hl7_applied (facility, control_id, hub, applied_at) VALUES (?, ?, ?, ?)",
                    facility, controlId, hub, now());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<AnnouncedDocument> document(String facility, String documentNumber) {
        List<AnnouncedDocument> found = jdbc.query("SELECT facility, document_number, patient_ssin, hub, local_id, status "
                        + "FROM hl7_document WHERE facility = ? AND document_number = ?",
                (rs, i) -> new AnnouncedDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), facility, documentNumber);
        return found.stream().findFirst();
    }

    public List<AnnouncedDocument> documentsOf(String facility, String patientSsin) {
        return jdbc.query("SELECT facility, document_number, patient_ssin, hub, local_id, status "
                        + "FROM hl7_document WHERE facility = ? AND patient_ssin = ? ORDER BY document_number",
                (rs, i) -> new AnnouncedDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), facility, patientSsin);
    }

    /** Inserts or updates a document's row (declared, replaced, revoked, moved to another patient). */
    public void saveDocument(AnnouncedDocument d) {
        int updated = jdbc.update("UPDATE hl7_document SET patient_ssin = ?, hub = ?, local_id = ?, status = ?, "
                        + "updated_at = ? WHERE facility = ? AND document_number = ?",
                d.patientSsin(), d.hub(), d.localId(), d.status(), now(), d.facility(), d.documentNumber());
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO hl7_document (facility, document_number, patient_ssin, hub, local_id, status, "
                        + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", d.facility(), d.documentNumber(), d.patientSsin(),
                        d.hub(), d.localId(), d.status(), now());
            } catch (DuplicateKeyException raced) {
                saveDocument(d);
            }
        }
    }

    private boolean exists(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count != null && count > 0;
    }
}
