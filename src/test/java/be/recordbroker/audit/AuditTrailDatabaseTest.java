package be.recordbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.prod.LocalPostgres;

/**
 * The audit trail on both databases it runs on (the same migrations, the same code): rows chained and read back,
 * concurrent appends in one unbroken chain, UPDATE/DELETE refused, and tampering behind the broker's back (trigger
 * switched off, as a database owner could) found by the verification, which names the row — also from the command.
 */
class AuditTrailDatabaseTest {

    static final String PATIENT = "85073003328";
    static final Professional GP = new Professional(Nihii.parse("12345625004", NihiiValidation.LENIENT), null,
            "persphysician", "An Verstraeten");

    record Database(String vendor, String url, String user) {
        @Override
        public String toString() {
            return vendor;
        }
    }

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    static Database fresh(String vendor) {
        if (vendor.equals("h2")) {
            return new Database("h2", "jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa");
        }
        return new Database("postgresql", LocalPostgres.freshDatabase("record_broker_audit_it"), LocalPostgres.USER);
    }

    static DataSource migrated(Database db) {
        Flyway.configure().dataSource(db.url(), db.user(), "")
                .locations("classpath:db/migration", "classpath:db/migration-" + db.vendor())
                .placeholders(java.util.Map.of("runtime_role", "")).load().migrate();
        return new DriverManagerDataSource(db.url(), db.user(), "");
    }

    static AccessRequest read(String localId, String btg, Instant at) {
        return new AccessRequest(GP, PATIENT, AccessAction.READ, new DocumentRef("rsb", "RSBID", localId, "sumehr", null),
                null, btg, "rest", "req-" + localId, at);
    }

    static void sql(DataSource dataSource, String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static void switchOffAppendOnly(Database db, DataSource dataSource) throws SQLException {
        sql(dataSource, db.vendor().equals("h2") ? "DROP TRIGGER audit_event_append_only"
                : "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rowsAreChainedAndReadBackNewestFirst(String vendor) {
        DataSource dataSource = migrated(fresh(vendor));
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource);
        Instant t = Instant.parse("2026-11-22T10:15:30.123456789Z");
        trail.record(read("DOC-1", null, t), AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null));
        trail.record(read("DOC-2", "Unconscious at the emergency department", t.plusSeconds(1)),
                AccessDecision.allow(AccessReason.BREAK_THE_GLASS, "btg", "Unconscious at the emergency department"));
        trail.record(new AccessRequest(null, "not-an-ssin", AccessAction.SEARCH, null, "scope=global", null, "soap",
                "req-x", t.plusSeconds(2)), AccessDecision.deny(AccessReason.UNAUTHENTICATED, "no identity"));

        List<AuditEvent> rows = trail.forPatient(PATIENT, 10, 0);
        assertThat(rows).extracting(AuditEvent::seq).containsExactly(2L, 1L);
        AuditEvent btg = rows.get(0);
        assertThat(btg.breakTheGlass()).isEqualTo("Unconscious at the emergency department");
        assertThat(btg.reason()).isEqualTo("BREAK_THE_GLASS");
        assertThat(btg.decision()).isEqualTo("allow");
        assertThat(btg.documentId()).isEqualTo("rsb/RSBID/DOC-2");
        assertThat(btg.actorNihii()).isEqualTo("12345625004");
        assertThat(rows.get(1).recordedAt()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123456Z"));
        assertThat(btg.prevHash()).isEqualTo(rows.get(1).rowHash());
        assertThat(rows.get(1).prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(trail.forPatient(PATIENT, 1, 1)).extracting(AuditEvent::seq).containsExactly(1L);

        ChainVerification ok = trail.verify();
        assertThat(ok.intact()).as(ok.describe()).isTrue();
        assertThat(ok.rowsChecked()).isEqualTo(3);
    }

    /**
     * Each trail keeps one connection with its statements prepared for its appends: two instances appending in turn
     * each read the other's head (one chain), and a row the database refuses closes the kept connection without
     * keeping the next append from being written.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void twoInstancesKeptConnectionsAppendToOneChainAndARefusedRowDoesNotStopTheNext(String vendor)
            throws Exception {
        DataSource dataSource = migrated(fresh(vendor));
        JdbcAuditTrail one = new JdbcAuditTrail(dataSource);
        JdbcAuditTrail two = new JdbcAuditTrail(dataSource);
        AccessDecision allow = AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null);
        for (int i = 0; i < 6; i++) {
            (i % 2 == 0 ? one : two).record(read("DOC-" + i, null, Instant.now()), allow);
        }
        sql(dataSource, "ALTER TABLE audit_event ADD CONSTRAINT no_refused_face CHECK (face <> 'refused')");
        assertThatThrownBy(() -> one.record(new AccessRequest(GP, PATIENT, AccessAction.SEARCH, null, "scope=global",
                null, "refused", "req-refused", Instant.now()), allow)).isInstanceOf(RuntimeException.class);
        one.record(read("DOC-after", null, Instant.now()), allow);
        two.record(read("DOC-last", null, Instant.now()), allow);

        assertThat(one.forPatient(PATIENT, 20, 0)).extracting(AuditEvent::seq)
                .containsExactly(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
        ChainVerification ok = one.verify();
        assertThat(ok.intact()).as(ok.describe()).isTrue();
        assertThat(ok.rowsChecked()).isEqualTo(8);
        one.close();
        two.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void concurrentAppendsMakeOneUnbrokenChain(String vendor) throws Exception {
        DataSource dataSource = migrated(fresh(vendor));
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        trail.record(read("DOC-" + writer + "-" + i, null, Instant.now()),
                                AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ChainVerification result = trail.verify();
        assertThat(result.intact()).as(result.describe()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(320);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void groupCommitWritesEveryRowOfConcurrentRequestsBeforeTheyReturn(String vendor) throws Exception {
        DataSource dataSource = migrated(fresh(vendor));
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (GroupCommitAuditor writer = new GroupCommitAuditor(trail, 64, 1000, java.time.Duration.ofSeconds(10))) {
            List<Future<?>> requests = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String localId = "GC-" + i;
                requests.add(pool.submit(() -> {
                    writer.record(read(localId, null, Instant.now()),
                            AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null));
                    // returned: the row must be there already
                    if (trail.forPatient(PATIENT, 1000, 0).stream().noneMatch(e -> e.documentId().endsWith("/" + localId))) {
                        throw new AssertionError(localId + " returned before its row was committed");
                    }
                    return null;
                }));
            }
            for (Future<?> request : requests) {
                request.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ChainVerification result = trail.verify();
        assertThat(result.intact()).as(result.describe()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(400);
    }

    @org.junit.jupiter.api.Test
    void aGroupCommitThatCannotWriteFailsItsRequests() throws Exception {
        DataSource broken = new DriverManagerDataSource("jdbc:h2:mem:no-audit-" + UUID.randomUUID(), "sa", "");
        try (GroupCommitAuditor writer = new GroupCommitAuditor(new JdbcAuditTrail(broken), 64, 100,
                java.time.Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> writer.record(read("X", null, Instant.now()),
                    AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null)))
                    .isInstanceOf(JdbcAuditTrail.AuditWriteException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theTableRefusesUpdatesAndDeletes(String vendor) {
        DataSource dataSource = migrated(fresh(vendor));
        new JdbcAuditTrail(dataSource).record(read("DOC-1", null, Instant.now()),
                AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null));
        assertThatThrownBy(() -> sql(dataSource, "UPDATE audit_event SET reason = 'X' WHERE seq = 1"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql(dataSource, "DELETE FROM audit_event WHERE seq = 1"))
                .hasMessageContaining("append-only");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anAlteredRowIsNamedByTheVerificationAndTheCommand(String vendor) throws SQLException {
        Database db = fresh(vendor);
        DataSource dataSource = migrated(db);
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource);
        for (int i = 1; i <= 5; i++) {
            trail.record(read("DOC-" + i, null, Instant.now()), AccessDecision.deny(AccessReason.NO_THERAPEUTIC_LINK, "x"));
        }
        assertThat(command(db)).startsWith("0 audit chain intact: 5 rows");

        switchOffAppendOnly(db, dataSource);
        // someone turns a refusal into a permission, leaving the hashes as they were
        sql(dataSource, "UPDATE audit_event SET decision = 'allow', reason = 'THERAPEUTIC_LINK' WHERE seq = 3");
        ChainVerification result = trail.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenRow()).isEqualTo(3L);
        assertThat(result.problem()).contains("does not match its hash");
        assertThat(command(db)).startsWith("1 audit chain BROKEN at row 3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRemovedRowOrARemovedTailIsFound(String vendor) throws SQLException {
        Database db = fresh(vendor);
        DataSource dataSource = migrated(db);
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource);
        for (int i = 1; i <= 5; i++) {
            trail.record(read("DOC-" + i, null, Instant.now()), AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "x", null));
        }
        switchOffAppendOnly(db, dataSource);
        sql(dataSource, "DELETE FROM audit_event WHERE seq = 5");
        assertThat(trail.verify().firstBrokenRow()).isEqualTo(5L);
        sql(dataSource, "DELETE FROM audit_event WHERE seq = 2");
        ChainVerification result = trail.verify();
        assertThat(result.firstBrokenRow()).isEqualTo(2L);
        assertThat(result.problem()).contains("row missing");
    }

    /** Runs the verification command; returns its exit status and output. */
    static String command(Database db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AuditVerifyCommand.run(new String[] {"--url=" + db.url()},
                Map.of("DATABASE_USER", db.user()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return status + " " + out.toString(StandardCharsets.UTF_8).strip() + err.toString(StandardCharsets.UTF_8).strip();
    }
}
