package be.recordbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.prod.LocalPostgres;

/**
 * Two roles on PostgreSQL (V5_1): migrations as the owner, the broker as the runtime role, which appends and reads
 * audit rows but cannot UPDATE, DELETE or TRUNCATE them, nor ALTER TABLE ... DISABLE TRIGGER, nor drop the trigger.
 */
class AuditDatabaseRolesTest {

    static final String RUNTIME = "rb_audit_runtime_it";
    static final AuditKeys KEYS = AuditKeys.of("r1", Base64.getEncoder().encodeToString(new byte[32]), Map.of(), 0);
    static String url;

    @BeforeAll
    static void twoRoles() throws SQLException {
        url = LocalPostgres.freshDatabase("trust_audit_roles_it");
        try (Connection admin = DriverManager.getConnection(LocalPostgres.ADMIN_URL, LocalPostgres.USER, "");
             Statement sql = admin.createStatement()) {
            sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + RUNTIME + "') THEN"
                    + " CREATE ROLE " + RUNTIME + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; END IF; END $$");
        }
        Flyway.configure().dataSource(url, LocalPostgres.USER, "")
                .locations("classpath:db/migration", "classpath:db/migration-postgresql")
                .placeholders(Map.of("runtime_role", RUNTIME)).load().migrate();
    }

    static Connection runtime() throws SQLException {
        return DriverManager.getConnection(url, RUNTIME, "");
    }

    static void asRuntime(String statement) throws SQLException {
        try (Connection c = runtime(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void theRuntimeRoleAppendsAndReadsButCannotChangeTheTrail() throws Exception {
        JdbcAuditTrail trail = new JdbcAuditTrail(new DriverManagerDataSource(url, RUNTIME, ""), KEYS);
        Professional gp = new Professional(Nihii.parse("12345625004", NihiiValidation.LENIENT), null, "persphysician",
                "An Verstraeten");
        trail.record(new AccessRequest(gp, "85073003328", AccessAction.SEARCH, null, "scope=global", null, "rest",
                "req-roles", Instant.now()), AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null));
        assertThat(trail.forPatient("85073003328", 10, 0)).hasSize(1);
        assertThat(trail.verify().intact()).isTrue();

        assertThatThrownBy(() -> asRuntime("UPDATE audit_event SET reason = 'X'")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asRuntime("DELETE FROM audit_event")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asRuntime("TRUNCATE audit_event")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asRuntime("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
                .hasMessageContaining("must be owner");
        assertThatThrownBy(() -> asRuntime("ALTER TABLE audit_event DISABLE TRIGGER ALL"))
                .hasMessageContaining("must be owner");
        assertThatThrownBy(() -> asRuntime("DROP TRIGGER audit_event_append_only ON audit_event"))
                .hasMessageContaining("must be owner");
        assertThatThrownBy(() -> asRuntime("ALTER TABLE audit_event ADD COLUMN x INT"))
                .hasMessageContaining("must be owner");
        // still one intact chain of one row
        assertThat(trail.verify().describe()).isEqualTo("audit chain intact: 1 rows");
    }

    @Test
    void theRuntimeRoleKeepsWhatTheIngestLedgerNeeds() throws Exception {
        try (Connection c = runtime(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM hl7_accepted").close();
            s.executeQuery("SELECT COUNT(*) FROM hl7_applied").close();
            s.executeQuery("SELECT COUNT(*) FROM hl7_document").close();
        }
    }

    @Test
    void anEmptyRuntimeRoleMakesTheGrantsANoOp() {
        String other = LocalPostgres.freshDatabase("trust_audit_roles_empty_it");
        Flyway.configure().dataSource(other, LocalPostgres.USER, "")
                .locations("classpath:db/migration", "classpath:db/migration-postgresql")
                .placeholders(Map.of("runtime_role", "")).load().migrate();
        assertThatThrownBy(() -> {
            try (Connection c = DriverManager.getConnection(other, RUNTIME, ""); Statement s = c.createStatement()) {
                s.execute("INSERT INTO audit_head (id, seq, row_hash) VALUES (2, 0, 'x')");
            }
        }).hasMessageContaining("permission denied");
    }
}
