package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.audit.AuditChain;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.audit.AuditKeys;
import be.recordbroker.audit.ChainVerification;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.audit.LocalAuditKey;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;

/**
 * The keyed audit chain: a chain rewritten by someone without the key (plain SHA-256, or HMAC under a guessed key) is
 * found by the verification; a rotated key keeps its rows verifiable while it is given as retired; rows from before
 * the chain was keyed verify up to the configured row only; prod refuses to start without a key; elsewhere a key is
 * generated once and kept, owner-only.
 */
class AuditKeyConfigurationTest {

    static final String PATIENT = "85073003328";
    static final Professional GP = new Professional(Nihii.parse("12345625004", NihiiValidation.LENIENT), null,
            "persphysician", "An Verstraeten");
    static final String K1 = key(1);
    static final String K2 = key(2);

    static String key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return Base64.getEncoder().encodeToString(k);
    }

    static DataSource database() {
        String url = "jdbc:h2:mem:audit-key-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/migration-h2")
                .load().migrate();
        return new DriverManagerDataSource(url, "sa", "");
    }

    static void write(JdbcAuditTrail trail, int rows) {
        for (int i = 0; i < rows; i++) {
            trail.record(new AccessRequest(GP, PATIENT, AccessAction.SEARCH, null, "scope=global", null, "rest",
                    "req-" + UUID.randomUUID(), Instant.now()), AccessDecision.allow(AccessReason.THERAPEUTIC_LINK,
                    "link", null));
        }
    }

    /** What a database owner without the key can do: switch the trigger off, change a row, re-chain from there. */
    static void rewrite(DataSource db, long fromSeq, byte[] guessedKey) throws SQLException {
        List<AuditEvent> rows = new java.util.ArrayList<>(new JdbcAuditTrail(db).forPatient(PATIENT, 1000, 0));
        java.util.Collections.reverse(rows);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_event_append_only");
            String prev = rows.get((int) fromSeq - 2).rowHash();
            for (AuditEvent e : rows.subList((int) fromSeq - 1, rows.size())) {
                String keyId = guessedKey == null ? null : e.keyId();
                AuditEvent forged = new AuditEvent(e.seq(), e.recordedAt(), e.requestId(), e.face(), e.actorNihii(),
                        e.actorSsin(), e.actorProfession(), "Somebody Else", e.patientSsin(), e.action(), e.documentId(),
                        e.query(), e.decision(), e.reason(), e.breakTheGlass(), e.client(), prev, null, keyId);
                String hash = guessedKey == null ? AuditChain.hash(prev, forged) : AuditChain.hmac(guessedKey, prev, forged);
                try (PreparedStatement u = c.prepareStatement("UPDATE audit_event SET actor_name = ?, prev_hash = ?,"
                        + " row_hash = ?, key_id = ? WHERE seq = ?")) {
                    u.setString(1, "Somebody Else");
                    u.setString(2, prev);
                    u.setString(3, hash);
                    u.setString(4, keyId);
                    u.setLong(5, e.seq());
                    u.executeUpdate();
                }
                prev = hash;
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE audit_head SET row_hash = ? WHERE id = 1")) {
                u.setString(1, prev);
                u.executeUpdate();
            }
        }
    }

    @Test
    void aChainRewrittenWithoutTheKeyIsFound() throws Exception {
        AuditKeys keys = AuditKeys.of("k1", K1, Map.of(), 0);
        DataSource plain = database();
        write(new JdbcAuditTrail(plain, keys), 4);
        assertThat(new JdbcAuditTrail(plain, keys).verify().intact()).isTrue();
        rewrite(plain, 2, null); // re-chained with plain SHA-256, as the unkeyed chain allowed
        ChainVerification found = new JdbcAuditTrail(plain, keys).verify();
        assertThat(found.intact()).isFalse();
        assertThat(found.firstBrokenRow()).isEqualTo(2);
        assertThat(found.problem()).contains("not keyed");

        DataSource guessed = database();
        write(new JdbcAuditTrail(guessed, keys), 4);
        rewrite(guessed, 3, new byte[32]); // HMAC under a key that is not the broker's
        ChainVerification wrongKey = new JdbcAuditTrail(guessed, keys).verify();
        assertThat(wrongKey.intact()).isFalse();
        assertThat(wrongKey.firstBrokenRow()).isEqualTo(3);
        assertThat(wrongKey.problem()).contains("does not match its hash");
    }

    @Test
    void rotationKeepsOldRowsVerifiableWhileTheOldKeyIsGivenAsRetired() {
        DataSource db = database();
        write(new JdbcAuditTrail(db, AuditKeys.of("k1", K1, Map.of(), 0)), 3);
        AuditKeys rotated = AuditKeys.of("k2", K2, Map.of("k1", K1), 0);
        write(new JdbcAuditTrail(db, rotated), 2);
        assertThat(new JdbcAuditTrail(db, rotated).forPatient(PATIENT, 10, 0)).extracting(AuditEvent::keyId)
                .containsExactly("k2", "k2", "k1", "k1", "k1");
        assertThat(new JdbcAuditTrail(db, rotated).verify().describe()).isEqualTo("audit chain intact: 5 rows");
        ChainVerification withoutRetired = new JdbcAuditTrail(db, AuditKeys.of("k2", K2, Map.of(), 0)).verify();
        assertThat(withoutRetired.intact()).isFalse();
        assertThat(withoutRetired.problem()).contains("'k1'");
        // without any key, nothing keyed verifies
        assertThat(new JdbcAuditTrail(db).verify().intact()).isFalse();
    }

    @Test
    void rowsFromBeforeTheKeyVerifyUpToTheConfiguredRowOnly() {
        DataSource db = database();
        write(new JdbcAuditTrail(db), 2); // the chain before keys
        write(new JdbcAuditTrail(db, AuditKeys.of("k1", K1, Map.of(), 2)), 2);
        assertThat(new JdbcAuditTrail(db, AuditKeys.of("k1", K1, Map.of(), 2)).verify().intact()).isTrue();
        ChainVerification strict = new JdbcAuditTrail(db, AuditKeys.of("k1", K1, Map.of(), 0)).verify();
        assertThat(strict.intact()).isFalse();
        assertThat(strict.firstBrokenRow()).isEqualTo(1);
    }

    @Test
    void keysAreCheckedAndProdRefusesToStartWithoutOne(@TempDir Path dir) {
        assertThatThrownBy(() -> AuditKeys.of("k1", Base64.getEncoder().encodeToString(new byte[16]), Map.of(), 0))
                .hasMessageContaining("record-broker.audit.key must be at least 32 bytes");
        assertThatThrownBy(() -> AuditKeys.of("k 1", K1, Map.of(), 0)).hasMessageContaining("record-broker.audit.key-id");
        assertThatThrownBy(() -> AuditKeys.of("k1", "not base64!", Map.of(), 0)).hasMessageContaining("not base64");
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");
        assertThatThrownBy(() -> AuditKeyConfiguration.keys(new AuditProperties(), prod, dir))
                .hasMessageContaining("record-broker.audit.key is not set");
        assertThat(Files.exists(dir.resolve("audit"))).isFalse();
    }

    @Test
    void outsideProdAKeyIsGeneratedOnceAndKeptOwnerOnly(@TempDir Path dir) throws Exception {
        AuditKeys first = AuditKeyConfiguration.keys(new AuditProperties(), new MockEnvironment(), dir);
        Path file = dir.resolve("audit").resolve("key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String key = LocalAuditKey.loadOrCreate(dir.resolve("audit"));
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(LocalAuditKey.loadOrCreate(dir.resolve("audit"))).isEqualTo(key);
        // a chain written under the generated key verifies after a restart (the key read again)
        DataSource db = database();
        write(new JdbcAuditTrail(db, first), 2);
        AuditKeys again = AuditKeyConfiguration.keys(new AuditProperties(), new MockEnvironment(), dir);
        assertThat(new JdbcAuditTrail(db, again).verify().intact()).isTrue();
    }
}
