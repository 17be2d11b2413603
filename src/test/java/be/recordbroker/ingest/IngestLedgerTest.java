package be.recordbroker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.Ssin;

/** The applied ledger the declaring consumer keeps (its accepted and applied rows), on H2 as the broker runs it. */
class IngestLedgerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC);

    private DriverManagerDataSource dataSource;
    private JdbcTemplate jdbc;
    private IngestLedger ledger;

    @BeforeEach
    void database() {
        // a connection per use, as from the pool
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:ledger-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V1__hl7_ingest.sql")).execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        ledger = new IngestLedger(jdbc, CLOCK, null);
    }

    @AfterEach
    void close() {
        jdbc.execute("SHUTDOWN");
    }

    private int accepted(String controlId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM hl7_accepted WHERE control_id = ?", Integer.class, controlId);
    }

    @Test
    void anAppliedMessageIsRecordedOnceWithItsEnqueueTime() {
        Timestamp enqueuedAt = Timestamp.from(Instant.parse("2026-11-22T10:14:59Z"));
        assertThat(ledger.wasApplied("F", "C5")).isFalse();

        assertThat(ledger.recordApplied("F", "C5", "MDM^T02", "cozo", enqueuedAt)).isTrue();
        assertThat(ledger.recordApplied("F", "C5", "MDM^T02", "cozo", enqueuedAt)).as("a redelivery").isFalse();

        assertThat(accepted("C5")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT accepted_at FROM hl7_accepted WHERE control_id = 'C5'", Timestamp.class))
                .isEqualTo(enqueuedAt);
        assertThat(ledger.wasApplied("F", "C5")).isTrue();
        assertThat(ledger.wasApplied("OTHER", "C5")).isFalse();
    }

    private static DocumentDeclaration declaration(String title) {
        return new DocumentDeclaration("F", "71000436", "Hospital", Ssin.parse("60010100172"), "DOC-1", "contactreport",
                title, OffsetDateTime.parse("2026-11-22T10:00:00+01:00"),
                new DocumentDeclaration.AuthorRef("12345625004", "Verstraeten", "An"),
                new DocumentDeclaration.ContentFingerprint("0".repeat(64), 1100, "application/pdf"), "https://src/x");
    }

    private String documentTitle() {
        return jdbc.queryForObject("SELECT title FROM hl7_document WHERE facility = 'F' AND document_number = 'DOC-1'",
                String.class);
    }

    @Test
    void aDeclarationsDocumentRowIsWrittenWithItsAppliedRowOrNotAtAll() {
        assertThat(ledger.recordApplied("F", "C8", "MDM^T02", "rsb", null,
                new IngestLedger.AnnouncedDocument("rsb", "DECLARED", declaration("First")))).isTrue();
        assertThat(documentTitle()).isEqualTo("First");
        assertThat(jdbc.queryForObject("SELECT status || ' ' || hub || ' ' || patient_ssin || ' ' || size_bytes "
                + "FROM hl7_document WHERE document_number = 'DOC-1'", String.class))
                .isEqualTo("DECLARED rsb 60010100172 1100");

        // the same message again (applied before): its transaction is rolled back, document row included
        assertThat(ledger.recordApplied("F", "C8", "MDM^T02", "rsb", null,
                new IngestLedger.AnnouncedDocument("rsb", "DECLARED", declaration("Second")))).isFalse();
        assertThat(documentTitle()).isEqualTo("First");

        // another message declaring the same document number updates its row
        assertThat(ledger.recordApplied("F", "C9", "MDM^T10", "rsb", null,
                new IngestLedger.AnnouncedDocument("rsb", "DECLARED", declaration("Third")))).isTrue();
        assertThat(documentTitle()).isEqualTo("Third");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hl7_document", Integer.class)).isEqualTo(1);
    }

    @Test
    void concurrentInstancesApplyingTheSameMessageRecordItOnce() throws Exception {
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return ledger.recordApplied("F", "C7", "ORU^R01", "rsb", null);
            }));
        }
        start.countDown();
        int firsts = 0;
        for (java.util.concurrent.Future<Boolean> r : results) {
            firsts += r.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(firsts).as("exactly one instance applied it first").isEqualTo(1);
        assertThat(accepted("C7")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hl7_applied WHERE control_id = 'C7'", Integer.class))
                .isEqualTo(1);
    }
}
