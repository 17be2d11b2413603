package be.recordbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessAuditor;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.prod.LocalPostgres;

/**
 * The audit writer on PostgreSQL (own database {@code trust_audit_it}), where a NUL in one row once failed a whole
 * group-commit batch: a row that cannot be stored fails only itself while concurrent other users' rows are written;
 * every text written is cleaned; the writer survives an {@code Error}; a caller whose wait ran out (answered
 * AUDIT_UNAVAILABLE) never has his row commit as ALLOW.
 */
class AuditTrailHardeningTest {

    static final Professional GP = new Professional(Nihii.parse("12345625004", NihiiValidation.LENIENT), null,
            "persphysician", "An Verstraeten");
    static final AuditKeys KEYS = AuditKeys.of("t1", Base64.getEncoder().encodeToString(new byte[32]), Map.of(), 0);

    static String url;

    @BeforeAll
    static void database() {
        url = LocalPostgres.freshDatabase("trust_audit_it");
        Flyway.configure().dataSource(url, LocalPostgres.USER, "")
                .locations("classpath:db/migration", "classpath:db/migration-postgresql")
                .placeholders(Map.of("runtime_role", "")).load().migrate();
    }

    static DataSource dataSource() {
        return new DriverManagerDataSource(url, LocalPostgres.USER, "");
    }

    static AccessRequest read(String patient, String localId, String query) {
        return new AccessRequest(GP, patient, AccessAction.READ, new DocumentRef("rsb", "RSBID", localId, "sumehr", null),
                query, null, "rest", "req-" + localId, Instant.now());
    }

    static AccessDecision allow() {
        return AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null);
    }

    /** A row with a NUL that bypassed the faces and SafeText: PostgreSQL refuses it. */
    static AuditEvent poisoned(String requestId) {
        return new AuditEvent(0, Instant.now().truncatedTo(ChronoUnit.MICROS), requestId, "rest", "12345625004", null,
                "persphysician", "An", "85073003328", "read", "rsb/RSBID/X", "type=lab\u0000result", AuditEvent.ALLOW,
                "THERAPEUTIC_LINK", null, null, null, null);
    }

    @Test
    void oneBadRowDoesNotFailConcurrentOtherUsersRows() throws Exception {
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource(), KEYS);
        // a trail that holds its first batch a moment, so that the poisoned row and the good ones share batches
        CountDownLatch queued = new CountDownLatch(1);
        JdbcAuditTrail slowFirst = new JdbcAuditTrail(dataSource(), KEYS) {
            final AtomicBoolean first = new AtomicBoolean(true);

            @Override
            public List<AuditEvent> appendAll(List<AuditEvent> events) {
                if (first.getAndSet(false)) {
                    try {
                        queued.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return trail.appendAll(events);
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (GroupCommitAuditor writer = new GroupCommitAuditor(slowFirst, 256, 10_000, Duration.ofSeconds(20))) {
            AccessAuditor.Recording warmUp = writer.start(read("85073003328", "WARM", null), allow());
            List<Future<?>> good = new ArrayList<>();
            List<AccessAuditor.Recording> started = new ArrayList<>();
            AccessAuditor.Recording bad = writer.start(poisoned("req-poisoned"));
            for (int i = 0; i < 64; i++) {
                started.add(writer.start(read("85073003328", "DOC-" + i, "type=labresult"), allow()));
            }
            queued.countDown();
            warmUp.await();
            for (AccessAuditor.Recording r : started) {
                good.add(pool.submit(r::await));
            }
            for (Future<?> f : good) {
                f.get(30, TimeUnit.SECONDS); // none failed
            }
            assertThatThrownBy(bad::await).isInstanceOf(JdbcAuditTrail.AuditWriteException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(trail.forPatient("85073003328", 1000, 0)).hasSize(65)
                .noneMatch(e -> "req-poisoned".equals(e.requestId()));
        assertThat(trail.verify().intact()).as(trail.verify().describe()).isTrue();
    }

    @Test
    void everyTextIsCleanedBeforeItReachesTheDatabase() {
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource(), KEYS);
        String patient = "71020212361";
        AccessRequest request = new AccessRequest(new Professional(GP.nihii(), null, "pers\u0000physician",
                "An\u0000 Verstraeten\u0085"), patient, AccessAction.SEARCH, null, "type=lab\u0000result", "Unconscious\u0000"
                + " patient\u2028 in the street", "rest", "req\u0000nul", Instant.now(), "client\u007f");
        trail.record(request, allow());
        AuditEvent row = trail.forPatient(patient, 1, 0).get(0);
        assertThat(List.of(row.requestId(), row.actorProfession(), row.actorName(), row.query(), row.breakTheGlass(),
                row.client())).allSatisfy(t -> assertThat(t).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f\\u2028]"));
        assertThat(row.query()).isEqualTo("type=lab?result");
        assertThat(row.keyId()).isEqualTo("t1");
    }

    @Test
    void theWriterSurvivesAnError() throws Exception {
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource(), KEYS);
        AtomicBoolean fail = new AtomicBoolean(true);
        JdbcAuditTrail failingOnce = new JdbcAuditTrail(dataSource(), KEYS) {
            @Override
            public List<AuditEvent> appendAll(List<AuditEvent> events) {
                if (fail.getAndSet(false)) {
                    throw new StackOverflowError("simulated");
                }
                return trail.appendAll(events);
            }
        };
        try (GroupCommitAuditor writer = new GroupCommitAuditor(failingOnce, 256, 100, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> writer.record(read("75050512376", "ERR-1", null), allow()))
                    .isInstanceOf(JdbcAuditTrail.AuditWriteException.class);
            writer.record(read("75050512376", "ERR-2", null), allow());
            assertThat(writer.writerAlive()).isTrue();
            assertThat(writer.writerFailures()).isEqualTo(1);
        }
        assertThat(trail.forPatient("75050512376", 1000, 0)).extracting(AuditEvent::requestId).contains("req-ERR-2")
                .doesNotContain("req-ERR-1");
    }

    @Test
    void aCallerWhoseWaitRanOutNeverHasHisRowCommitAsAllow() throws Exception {
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource(), KEYS);
        String patient = "60010112347";
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        JdbcAuditTrail stuck = new JdbcAuditTrail(dataSource(), KEYS) {
            @Override
            public List<AuditEvent> appendAll(List<AuditEvent> events) {
                if (first.getAndSet(false)) {
                    holding.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return trail.appendAll(events);
            }
        };
        try (GroupCommitAuditor writer = new GroupCommitAuditor(stuck, 256, 100, Duration.ofMillis(300))) {
            // A: claimed by the writer, whose database call hangs; B: still queued when its caller gives up
            AccessAuditor.Recording a = writer.start(read(patient, "A", null), allow());
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            AccessAuditor.Recording b = writer.start(read(patient, "B", null), allow());
            assertThatThrownBy(b::await).isInstanceOf(JdbcAuditTrail.AuditWriteException.class); // → AUDIT_UNAVAILABLE
            assertThat(writer.abandonedRows()).isEqualTo(1);
            // A's caller waits for the transaction that holds his row, past his timeout, and follows its outcome
            Future<?> aWaits = Executors.newSingleThreadExecutor().submit(a::await);
            Thread.sleep(500);
            assertThat(aWaits.isDone()).isFalse();
            release.countDown();
            aWaits.get(10, TimeUnit.SECONDS); // committed, so answered as allowed
        }
        List<AuditEvent> rows = trail.forPatient(patient, 10, 0);
        assertThat(rows).extracting(e -> e.requestId() + ":" + e.decision() + ":" + e.reason())
                .containsExactly("req-B:deny:AUDIT_UNAVAILABLE", "req-A:allow:THERAPEUTIC_LINK");
        assertThat(trail.verify().intact()).isTrue();
    }
}
