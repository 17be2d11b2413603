package be.recordbroker.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.time.OffsetDateTime;

import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.Ssin;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ingest ledger in the database (H2 by default, PostgreSQL in prod): which messages were accepted and applied,
 * and which documents a hospital announced. Identifiers and states only, never content. Shared by every broker
 * instance that uses the same database, so a duplicate is recognised whichever instance applies it.
 */
public class IngestLedger {

    /** A document announced by a hospital's feed: where it was declared, its state, and what was declared. */
    public record AnnouncedDocument(String hub, String status, DocumentDeclaration declaration) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Network network;

    public IngestLedger(JdbcTemplate jdbc, Clock clock, Network network) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.network = network;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /**
     * Records a message applied at its hub: its accepted row (when it was durably enqueued, the moment its AA went
     * back) and its applied row, in one transaction. False when it was already recorded as applied. The listener
     * writes nothing on the way to the AA: the queue's journal is the record until the message is applied.
     */
    public boolean recordApplied(String facility, String controlId, String messageType, String hub,
                                 Timestamp acceptedAt) {
        return recordApplied(facility, controlId, messageType, hub, acceptedAt, null);
    }

    /**
     * {@link #recordApplied(String, String, String, String, Timestamp)}, with the row of the document the message
     * declared ({@code document}, may be null) saved in the same transaction: one commit per applied message instead
     * of two (with H2's WRITE_DELAY=0 each commit writes a chunk of the store's pages; on PostgreSQL each is a WAL
     * flush), and the document row and the applied row are written or lost together.
     */
    public boolean recordApplied(String facility, String controlId, String messageType, String hub,
                                 Timestamp acceptedAt, AnnouncedDocument document) {
        Accepted row = new Accepted(facility, controlId, messageType, acceptedAt == null ? now() : acceptedAt);
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) con -> {
            try (PreparedStatement ensure = con.prepareStatement(INSERT_ACCEPTED_IF_ABSENT);
                 PreparedStatement applied = con.prepareStatement(
                         "INSERT INTO hl7_applied (facility, control_id, hub, applied_at) VALUES (?, ?, ?, ?)")) {
                SqlWork<Boolean> work = () -> {
                    bind(ensure, row);
                    ensure.executeUpdate();
                    applied.setString(1, facility);
                    applied.setString(2, controlId);
                    applied.setString(3, hub);
                    applied.setTimestamp(4, now());
                    applied.executeUpdate();
                    if (document != null) {
                        // a document row another instance inserted meanwhile fails the insert: the retry updates it
                        writeDocument(con, document);
                    }
                    return true;
                };
                for (int attempt = 1; ; attempt++) {
                    try {
                        return inTransaction(con, work);
                    } catch (SQLException e) {
                        if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                            throw e;
                        }
                        if (attempt == 2) {
                            return false; // applied before (a redelivery)
                        }
                        // or another instance recorded the same message at the same moment: once more tells which
                    }
                }
            }
        }));
    }

    public boolean wasApplied(String facility, String controlId) {
        return exists("SELECT COUNT(*) FROM hl7_applied WHERE facility = ? AND control_id = ?", facility, controlId);
    }

    /** Insert unless present; one statement for H2 and PostgreSQL, the update count tells which. */
    private static final String INSERT_ACCEPTED_IF_ABSENT = "INSERT INTO hl7_accepted (facility, control_id, "
            + "message_type, accepted_at) SELECT CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(199)), CAST(? AS VARCHAR(16)), "
            + "CAST(? AS TIMESTAMP) WHERE NOT EXISTS (SELECT 1 FROM hl7_accepted WHERE facility = ? AND control_id = ?)";
    /** SQLSTATE of a unique constraint violation (H2 and PostgreSQL). */
    private static final String DUPLICATE_KEY = "23505";

    /** A message durably on the queue (and acknowledged) at {@code acceptedAt}. */
    private record Accepted(String facility, String controlId, String messageType, Timestamp acceptedAt) {
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own on {@code con}: committed, or rolled back and rethrown. */
    private static <T> T inTransaction(Connection con, SqlWork<T> work) throws SQLException {
        boolean autoCommit = con.getAutoCommit();
        con.setAutoCommit(false);
        try {
            T result = work.run();
            con.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            con.rollback();
            throw e;
        } finally {
            con.setAutoCommit(autoCommit);
        }
    }

    private static void bind(PreparedStatement insert, Accepted row) throws SQLException {
        insert.setString(1, row.facility());
        insert.setString(2, row.controlId());
        insert.setString(3, row.messageType());
        insert.setTimestamp(4, row.acceptedAt());
        insert.setString(5, row.facility());
        insert.setString(6, row.controlId());
    }

    private static final String DOCUMENT_COLUMNS = "facility, document_number, patient_ssin, hub, status, type, title, "
            + "document_time, author_nihii, author_name, sha256, size_bytes, mime_type, source_pointer";

    public Optional<AnnouncedDocument> document(String facility, String documentNumber) {
        return jdbc.query("SELECT " + DOCUMENT_COLUMNS + " FROM hl7_document WHERE facility = ? AND document_number = ?",
                this::announced, facility, documentNumber).stream().findFirst();
    }

    /** The documents a hospital announced for a patient, still declared (not revoked). */
    public List<AnnouncedDocument> declaredDocumentsOf(String facility, String patientSsin) {
        return jdbc.query("SELECT " + DOCUMENT_COLUMNS + " FROM hl7_document WHERE facility = ? AND patient_ssin = ? "
                + "AND status = 'DECLARED' ORDER BY document_number", this::announced, facility, patientSsin);
    }

    /**
     * True when a hospital other than {@code facility} announced {@code documentNumber} at {@code hub}: the hub knows a
     * document by its number alone (one source label per hub), so that number is not {@code facility}'s to use.
     * Rows are never deleted and their facility never changes, so a true answer stays true.
     */
    public boolean numberTakenByOthers(String hub, String documentNumber, String facility) {
        return exists("SELECT COUNT(*) FROM hl7_document WHERE document_number = ? AND hub = ? AND facility <> ?",
                documentNumber, hub, facility);
    }

    /**
     * True when {@code documentNumber} is another hospital's for a replacement or cancellation by {@code facility}:
     * another hospital announced it at {@code hub} (the hub would act on that one), or another hospital announced it
     * anywhere and {@code facility} never did.
     */
    public boolean numberOfOthers(String hub, String documentNumber, String facility) {
        return exists("SELECT COUNT(*) FROM hl7_document WHERE document_number = ? AND facility <> ? AND (hub = ? "
                + "OR NOT EXISTS (SELECT 1 FROM hl7_document WHERE facility = ? AND document_number = ?))",
                documentNumber, facility, hub, facility, documentNumber);
    }

    /** True when another hospital than {@code facility} has a document still declared for the patient. */
    public boolean declaredByOthers(String patientSsin, String facility) {
        return exists("SELECT COUNT(*) FROM hl7_document WHERE patient_ssin = ? AND status = 'DECLARED' AND facility <> ?",
                patientSsin, facility);
    }

    /** Inserts or updates a document's row (declared, revoked, moved to another patient). */
    public void saveDocument(String hub, String status, DocumentDeclaration d) {
        AnnouncedDocument document = new AnnouncedDocument(hub, status, d);
        jdbc.execute((ConnectionCallback<Void>) con -> {
            try {
                writeDocument(con, document);
            } catch (SQLException e) {
                if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
                writeDocument(con, document); // inserted by another instance meanwhile: updated now
            }
            return null;
        });
    }

    private void writeDocument(Connection con, AnnouncedDocument document) throws SQLException {
        DocumentDeclaration d = document.declaration();
        Object[] values = {d.patient().value(), document.hub(), document.status(), d.type(), d.title(),
                d.dateTime(), d.author() == null ? null : d.author().nihii(),
                d.author() == null ? null : d.author().familyName(),
                d.content() == null ? null : d.content().sha256(), d.content() == null ? null : d.content().size(),
                d.content() == null ? null : d.content().mimeType(), d.sourcePointer(), now(),
                d.hospitalFacility(), d.localId()};
        // bound as JdbcTemplate.update(sql, args) binds them
        ArgumentPreparedStatementSetter arguments = new ArgumentPreparedStatementSetter(values);
        try (PreparedStatement update = con.prepareStatement("UPDATE hl7_document SET patient_ssin = ?, hub = ?, "
                + "status = ?, type = ?, title = ?, document_time = ?, author_nihii = ?, author_name = ?, sha256 = ?, "
                + "size_bytes = ?, mime_type = ?, source_pointer = ?, updated_at = ? WHERE facility = ? AND "
                + "document_number = ?")) {
            arguments.setValues(update);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = con.prepareStatement("INSERT INTO hl7_document (patient_ssin, hub, status, "
                + "type, title, document_time, author_nihii, author_name, sha256, size_bytes, mime_type, source_pointer, "
                + "updated_at, facility, document_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            arguments.setValues(insert);
            insert.executeUpdate();
        }
    }

    public void setStatus(String facility, String documentNumber, String status) {
        jdbc.update("UPDATE hl7_document SET status = ?, updated_at = ? WHERE facility = ? AND document_number = ?",
                status, now(), facility, documentNumber);
    }

    private AnnouncedDocument announced(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        String facility = rs.getString("facility");
        Hospital hospital = network.hospital(facility).orElse(null);
        String sha256 = rs.getString("sha256");
        DocumentDeclaration.ContentFingerprint content = sha256 == null ? null
                : new DocumentDeclaration.ContentFingerprint(sha256.trim(), rs.getLong("size_bytes"),
                rs.getString("mime_type"));
        String authorNihii = rs.getString("author_nihii");
        DocumentDeclaration declaration = new DocumentDeclaration(facility,
                hospital == null ? null : hospital.nihii().value(), hospital == null ? facility : hospital.name(),
                Ssin.parse(rs.getString("patient_ssin")), rs.getString("document_number"), rs.getString("type"),
                rs.getString("title"), rs.getObject("document_time", OffsetDateTime.class),
                authorNihii == null ? null : new DocumentDeclaration.AuthorRef(authorNihii, rs.getString("author_name"), null),
                content, rs.getString("source_pointer"));
        return new AnnouncedDocument(rs.getString("hub"), rs.getString("status"), declaration);
    }

    private boolean exists(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count != null && count > 0;
    }
}
