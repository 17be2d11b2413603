package be.recordbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import be.recordbroker.access.AccessAuditor;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;

/**
 * The audit writer's commit delay: rows whose callers work on before waiting for them (a search asking its hubs) share
 * one commit; a row someone waits for is never held, and neither is a held row once its caller starts waiting. The
 * delays here are far longer than the auditor's timeout, so a row held when it should not be fails its caller.
 */
class GroupCommitDelayTest {

    private static final AccessDecision ALLOW = AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null);
    /** Longer than the callers' wait: a row held for it would come back AUDIT_UNAVAILABLE. */
    private static final Duration LONG_DELAY = Duration.ofMinutes(2);

    private final DataSource database = AuditTrailDatabaseTest.migrated(AuditTrailDatabaseTest.fresh("h2"));
    private final JdbcAuditTrail trail = new JdbcAuditTrail(database);
    private final List<Integer> batches = new CopyOnWriteArrayList<>();

    @Test
    void rowsNobodyWaitsForYetShareOneCommitWithinTheDelay() throws Exception {
        try (GroupCommitAuditor writer = writer(Duration.ofMillis(1500), Duration.ofSeconds(20))) {
            AccessAuditor.Recording first = writer.startDeferred(AuditTrailDatabaseTest.read("D-1", null, Instant.now()), ALLOW);
            AccessAuditor.Recording second = writer.startDeferred(AuditTrailDatabaseTest.read("D-2", null, Instant.now()), ALLOW);
            AccessAuditor.Recording third = writer.startDeferred(AuditTrailDatabaseTest.read("D-3", null, Instant.now()), ALLOW);
            Thread.sleep(2500); // the searches ask their hubs; the delay ends meanwhile
            first.await();
            second.await();
            third.await();
        }
        assertThat(batches).as("commits of three rows started within the delay").containsExactly(3);
        assertThat(trail.verify().rowsChecked()).isEqualTo(3);
    }

    @Test
    void aRowItsCallerWaitsForIsCommittedAtOnceWithTheHeldOnes() throws Exception {
        try (GroupCommitAuditor writer = writer(LONG_DELAY, Duration.ofSeconds(20))) {
            AccessAuditor.Recording held = writer.startDeferred(AuditTrailDatabaseTest.read("H-1", null, Instant.now()), ALLOW);
            // a retrieval's gate: its caller waits for the row before it goes on
            writer.record(AuditTrailDatabaseTest.read("R-1", null, Instant.now()), ALLOW);
            held.await();
        }
        assertThat(batches).as("one commit: the held row went with the awaited one").containsExactly(2);
        assertThat(trail.verify().rowsChecked()).isEqualTo(2);
        assertThat(trail.forPatient(AuditTrailDatabaseTest.PATIENT, 10, 0))
                .allSatisfy(row -> assertThat(row.decision()).isEqualTo(AuditEvent.ALLOW));
    }

    @Test
    void aHeldRowIsCommittedAsSoonAsItsCallerWaitsForIt() throws Exception {
        try (GroupCommitAuditor writer = writer(LONG_DELAY, Duration.ofSeconds(20))) {
            AccessAuditor.Recording held = writer.startDeferred(AuditTrailDatabaseTest.read("S-1", null, Instant.now()), ALLOW);
            Thread.sleep(300); // the writer has taken the row up and holds it
            assertThat(batches).as("nothing committed while the row is held").isEmpty();
            held.await(); // the search has its hubs' answers: it waits for its row, and must not wait the delay out
        }
        assertThat(batches).containsExactly(1);
        assertThat(trail.forPatient(AuditTrailDatabaseTest.PATIENT, 10, 0)).singleElement()
                .satisfies(row -> assertThat(row.decision()).isEqualTo(AuditEvent.ALLOW));
    }

    @Test
    void withoutADelayEachRowIsCommittedWhenTheWriterTakesItUp() throws Exception {
        try (GroupCommitAuditor writer = writer(Duration.ZERO, Duration.ofSeconds(20))) {
            writer.startDeferred(AuditTrailDatabaseTest.read("Z-1", null, Instant.now()), ALLOW);
            Thread.sleep(500);
            assertThat(batches).as("committed with nobody waiting for it").containsExactly(1);
        }
    }

    private GroupCommitAuditor writer(Duration commitDelay, Duration timeout) {
        GroupCommitAuditor writer = new GroupCommitAuditor(trail, 64, 100, timeout, commitDelay);
        writer.observeBatches((rows, oldestWaitNanos) -> batches.add(rows));
        return writer;
    }
}
