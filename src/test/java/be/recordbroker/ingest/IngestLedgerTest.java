package be.recordbroker.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/** The accepted ledger's write-behind and the consumer's recovery of rows a crash lost, on H2 as the broker runs it. */
class IngestLedgerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC);

    private DriverManagerDataSource dataSource;
    private JdbcTemplate jdbc;
    private IngestLedger ledger;

    @BeforeEach
    void database() {
        // a connection per use, as from the pool: the write-behind thread has its own
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:ledger-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V1__hl7_ingest.sql")).execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        ledger = new IngestLedger(jdbc, CLOCK, null);
    }

    @AfterEach
    void close() {
        ledger.close();
        jdbc.execute("SHUTDOWN");
    }

    private int accepted(String controlId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM hl7_accepted WHERE control_id = ?", Integer.class, controlId);
    }

    @Test
    void anAcceptedMessageIsADuplicateAtOnceAndItsRowIsWrittenShortlyAfter() {
        assertThat(ledger.wasAccepted("F", "C1")).isFalse();

        ledger.recordAccepted("F", "C1", "MDM^T02");

        assertThat(ledger.wasAccepted("F", "C1")).as("pending, not yet written").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> accepted("C1") == 1);
        assertThat(ledger.wasAccepted("F", "C1")).isTrue();
        assertThat(ledger.wasAccepted("OTHER", "C1")).isFalse();
    }

    @Test
    void rowsAlreadyThereAndRepeatsInOneBatchAreWrittenOnceWithoutFailingTheOthers() {
        ledger.recordApplied("F", "C2", "ORU^R01", "rsb", null); // the consumer got there first
        for (String id : new String[]{"C2", "C3", "C3", "C4"}) {
            ledger.recordAccepted("F", id, "ORU^R01");
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> accepted("C4") == 1);
        assertThat(accepted("C2")).isEqualTo(1);
        assertThat(accepted("C3")).isEqualTo(1);
    }

    @Test
    void closingWritesWhatIsPending() {
        for (int i = 0; i < 500; i++) {
            ledger.recordAccepted("F", "P" + i, "MDM^T02");
        }

        ledger.close();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hl7_accepted", Integer.class)).isEqualTo(500);
    }

    @Test
    void applyingAMessageWhoseAcceptedRowACrashLostRecordsBothOnce() {
        Timestamp enqueuedAt = Timestamp.from(Instant.parse("2026-11-22T10:14:59Z"));

        assertThat(ledger.recordApplied("F", "C5", "MDM^T02", "cozo", enqueuedAt)).isTrue();
        assertThat(ledger.recordApplied("F", "C5", "MDM^T02", "cozo", enqueuedAt)).as("a redelivery").isFalse();

        assertThat(accepted("C5")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT accepted_at FROM hl7_accepted WHERE control_id = 'C5'", Timestamp.class))
                .isEqualTo(enqueuedAt);
        assertThat(ledger.wasApplied("F", "C5")).isTrue();
        assertThat(ledger.wasAccepted("F", "C5")).isTrue();
    }
}
