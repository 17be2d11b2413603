package be.recordbroker.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import be.recordbroker.access.AccessAuditor;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SafeText;
import be.recordbroker.domain.Ssin;

/**
 * The audit trail in the database (H2 or PostgreSQL): appends chained rows (HMAC-keyed, {@link AuditKeys}), reads a
 * patient's rows, verifies the chain (which needs the keys). Plain JDBC, so that the verification command can run it without the broker.
 */
public class JdbcAuditTrail implements AccessAuditor, AutoCloseable {

    private static final String COLUMNS = "seq, recorded_at, request_id, face, actor_nihii, actor_ssin, actor_profession,"
            + " actor_name, patient_ssin, action, document_id, query, decision, reason, break_the_glass, client, prev_hash,"
            + " row_hash, key_id";

    private final DataSource dataSource;
    private final AuditKeys keys;
    /** The appends' kept connection ({@link #appendAll}), held by one thread at a time. */
    private final java.util.concurrent.locks.ReentrantLock keptLock = new java.util.concurrent.locks.ReentrantLock();
    private Appender kept;

    /** Unkeyed (plain SHA-256 chain): tools and tests on old data only; the broker uses {@link #JdbcAuditTrail(DataSource, AuditKeys)}. */
    public JdbcAuditTrail(DataSource dataSource) {
        this(dataSource, AuditKeys.unkeyed());
    }

    /** The chain's keys (a verification on another connection needs the same). */
    public AuditKeys keys() {
        return keys;
    }

    public JdbcAuditTrail(DataSource dataSource, AuditKeys keys) {
        this.dataSource = dataSource;
        this.keys = keys;
    }

    @Override
    public void record(AccessRequest request, AccessDecision decision) {
        append(eventOf(request, decision));
    }

    /** Appends one row at the end of the chain; returns it with its seq and hashes. */
    public AuditEvent append(AuditEvent event) {
        return appendAll(List.of(event)).get(0);
    }

    /**
     * Appends rows at the end of the chain, in this order, in one transaction (one commit for all: what makes group
     * commit cheap); returns them with their seq and hashes. All or none.
     *
     * <p>The appends run on one connection kept with its three statements prepared (the group-commit writer is one
     * thread): H2 parsed the head row's {@code SELECT ... FOR UPDATE} again on every batch (it keeps no such query in
     * its cache), a quarter of the audit writer's CPU in the search benchmark's profile; PostgreSQL's driver prepares
     * a statement on the server only once it is reused. The kept connection also means the audit writer never waits
     * for one from the pool. A failure closes it (the next append opens another); an append while another thread holds
     * it takes a connection of the pool as before.
     */
    public List<AuditEvent> appendAll(List<AuditEvent> events) {
        if (keptLock.tryLock()) {
            try {
                if (kept == null) {
                    kept = Appender.open(dataSource);
                }
                try {
                    return kept.append(events, keys);
                } catch (SQLException | RuntimeException e) {
                    kept.closeQuietly();
                    kept = null;
                    throw e;
                }
            } catch (SQLException e) {
                throw new AuditWriteException("the audit rows could not be written: " + e.getMessage(), e);
            } finally {
                keptLock.unlock();
            }
        }
        try (Appender once = Appender.open(dataSource)) {
            return once.append(events, keys);
        } catch (SQLException e) {
            throw new AuditWriteException("the audit rows could not be written: " + e.getMessage(), e);
        }
    }

    /** Releases the kept connection (the application's shutdown, after the audit writer stopped). */
    @Override
    public void close() {
        keptLock.lock();
        try {
            if (kept != null) {
                kept.closeQuietly();
                kept = null;
            }
        } finally {
            keptLock.unlock();
        }
    }

    /** A connection in a transaction of its own with the three statements an append runs. */
    private record Appender(Connection connection, boolean autoCommit, PreparedStatement head,
                            PreparedStatement insert, PreparedStatement newHead) implements AutoCloseable {

        static Appender open(DataSource dataSource) throws SQLException {
            Connection c = dataSource.getConnection();
            try {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                // The head row's lock orders appends across threads and broker instances: one chain.
                return new Appender(c, autoCommit,
                        c.prepareStatement("SELECT seq, row_hash FROM audit_head WHERE id = 1 FOR UPDATE"),
                        c.prepareStatement("INSERT INTO audit_event (" + COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                        c.prepareStatement("UPDATE audit_head SET seq = ?, row_hash = ? WHERE id = 1"));
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        List<AuditEvent> append(List<AuditEvent> events, AuditKeys keys) throws SQLException {
            try {
                long seq;
                String prevHash;
                try (ResultSet rs = head.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("audit_head has no row: the audit migration did not run");
                    }
                    seq = rs.getLong(1);
                    prevHash = rs.getString(2);
                }
                List<AuditEvent> chained = new ArrayList<>(events.size());
                for (AuditEvent event : events) {
                    seq++;
                    AuditEvent unchained = event.keyed(keys.currentId()).chained(seq, prevHash, null);
                    AuditEvent row = unchained.chained(seq, prevHash, keys.hash(prevHash, unchained));
                    chained.add(row);
                    prevHash = row.rowHash();
                }
                for (AuditEvent row : chained) {
                    bind(insert, row);
                    insert.addBatch();
                }
                insert.executeBatch();
                newHead.setLong(1, seq);
                newHead.setString(2, prevHash);
                newHead.executeUpdate();
                connection.commit();
                return chained;
            } catch (SQLException | RuntimeException e) {
                try {
                    insert.clearBatch();
                    connection.rollback();
                } catch (SQLException | RuntimeException ignored) {
                    // the connection is closed by the caller; its rollback is the database's then
                }
                throw e;
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (SQLException | RuntimeException ignored) {
                // a broken connection: the pool evicts it
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.setAutoCommit(autoCommit);
            } finally {
                connection.close(); // closes its statements
            }
        }
    }

    /** A patient's rows, newest first. */
    public List<AuditEvent> forPatient(String patientSsin, int limit, int offset) {
        String sql = "SELECT " + COLUMNS + " FROM audit_event WHERE patient_ssin = ? ORDER BY seq DESC"
                + " LIMIT ? OFFSET ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, patientSsin);
            s.setInt(2, limit);
            s.setInt(3, offset);
            List<AuditEvent> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("the audit trail could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Walks the whole chain in order: consecutive seq from 1, each prev_hash equal to the previous row_hash, each
     * row_hash recomputed, and the head equal to the last row. Names the first row that does not fit.
     */
    public ChainVerification verify() {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            c.setReadOnly(true);
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event ORDER BY seq")) {
                s.setFetchSize(1000);
                long expectedSeq = 1;
                String prevHash = AuditChain.GENESIS;
                long checked = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        AuditEvent row = read(rs);
                        checked++;
                        if (row.seq() != expectedSeq) {
                            return ChainVerification.broken(checked, expectedSeq, "row missing (next row found is "
                                    + row.seq() + ")");
                        }
                        if (!row.prevHash().equals(prevHash)) {
                            return ChainVerification.broken(checked, row.seq(), "prev_hash does not match the row before");
                        }
                        String unverifiable = keys.unverifiable(row);
                        if (unverifiable != null) {
                            return ChainVerification.broken(checked, row.seq(), unverifiable);
                        }
                        if (!keys.hash(prevHash, row).equals(row.rowHash())) {
                            return ChainVerification.broken(checked, row.seq(), "row content does not match its hash");
                        }
                        prevHash = row.rowHash();
                        expectedSeq++;
                    }
                }
                try (PreparedStatement head = c.prepareStatement("SELECT seq, row_hash FROM audit_head WHERE id = 1");
                     ResultSet rs = head.executeQuery()) {
                    if (!rs.next()) {
                        return ChainVerification.broken(checked, expectedSeq, "the chain head is missing");
                    }
                    if (rs.getLong(1) != expectedSeq - 1 || !rs.getString(2).equals(prevHash)) {
                        return ChainVerification.broken(checked, Math.min(rs.getLong(1), expectedSeq),
                                "the chain head (row " + rs.getLong(1) + ") does not match the last row ("
                                        + (expectedSeq - 1) + "): rows were removed");
                    }
                }
                return ChainVerification.ok(checked);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the audit trail could not be read: " + e.getMessage(), e);
        }
    }

    static AuditEvent eventOf(AccessRequest request, AccessDecision decision) {
        Professional caller = request.caller();
        String documentId = request.document() == null ? null
                : request.document().id() != null ? request.document().id()
                : request.document().hub() + "/" + request.document().sourceLabel() + "/" + request.document().localId();
        String patient = request.patientSsin() != null && Ssin.isValid(request.patientSsin())
                ? Ssin.parse(request.patientSsin()).value() : null;
        // every text is cleaned of control characters and capped (SafeText): the faces validate, this is the second
        // line, so that no value a caller chose can make the database refuse a row (and, before, a whole batch)
        return new AuditEvent(0, request.at().truncatedTo(ChronoUnit.MICROS), SafeText.clean(request.requestId(), 64),
                SafeText.clean(request.face(), 8),
                caller == null || caller.nihii() == null ? null : caller.nihii().value(),
                caller == null || caller.ssin() == null ? null : caller.ssin().value(),
                caller == null ? null : SafeText.clean(caller.profession(), 64),
                caller == null ? null : SafeText.clean(caller.name(), 256),
                patient, SafeText.clean(request.action().code(), 16), SafeText.clean(documentId, 512),
                SafeText.clean(request.query(), 512),
                decision.allowed() ? AuditEvent.ALLOW : AuditEvent.DENY, decision.reason().name(),
                request.breakTheGlass() == null ? null : SafeText.clean(request.breakTheGlass().strip(), 200),
                SafeText.clean(request.client(), 64), null, null);
    }

    private static void bind(PreparedStatement s, AuditEvent e) throws SQLException {
        {
            s.setLong(1, e.seq());
            s.setObject(2, OffsetDateTime.ofInstant(e.recordedAt(), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            String[] texts = {e.requestId(), e.face(), e.actorNihii(), e.actorSsin(), e.actorProfession(), e.actorName(),
                    e.patientSsin(), e.action(), e.documentId(), e.query(), e.decision(), e.reason(), e.breakTheGlass(),
                    e.client(), e.prevHash(), e.rowHash(), e.keyId()};
            for (int i = 0; i < texts.length; i++) {
                s.setString(3 + i, texts[i]);
            }
        }
    }

    private static AuditEvent read(ResultSet rs) throws SQLException {
        Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
        return new AuditEvent(rs.getLong(1), at, rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18),
                rs.getString(19));
    }

    /** The audit row could not be written. */
    public static class AuditWriteException extends RuntimeException {
        public AuditWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
