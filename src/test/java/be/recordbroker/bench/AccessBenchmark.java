package be.recordbroker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.flywaydb.core.Flyway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import be.fgov.ehealth.hubservices.core.v3.ConsentType;
import be.fgov.ehealth.hubservices.core.v3.RevokePatientConsentRequestType;
import be.recordbroker.RecordBrokerApplication;
import be.recordbroker.TestIo;
import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.access.CachedAccessFacts;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;

/**
 * The access gate's benchmark (docs/benchmarks.md), each figure beside an anchor measured in the same run:
 * <ol>
 *   <li>decision latency with a warm fact cache (gate + audit row), against the same decision with a cold cache
 *       (consent, exclusion, links and access rights asked of the sandbox hubs over SOAP);</li>
 *   <li>audit writes per second on H2 (file, as the embedded default) and PostgreSQL (127.0.0.1:5432), 1 and 4
 *       writers, against plain INSERTs of the same rows into an unchained table (the cost of the chain);</li>
 *   <li>how long a consent revoked at the hub keeps being honoured by the cache (bounded by the TTL);</li>
 *   <li>gate + audit decision p99 for an identified caller with and without a 500 req/s flood of unauthenticated
 *       requests beside it (those are counted, not audited: the ratio should stay &lt;= 1.2).</li>
 * </ol>
 * Output to stdout and {@code target/bench/access.txt}.
 */
public final class AccessBenchmark {

    static final String PATIENT = "78040814421"; // seed: consent, GP link, documents at rsb
    static final Professional GP = new Professional(Nihii.parse("12345625004", NihiiValidation.LENIENT), null,
            "persphysician", "An Verstraeten");
    static final DocumentRef LAB = new DocumentRef("rsb", "RSBID", "BRU-00003", "labresult", null);

    private final int seconds = Integer.getInteger("bench.seconds", 10);
    private final StringBuilder report = new StringBuilder();

    public static void main(String[] args) throws Exception {
        try {
            new AccessBenchmark().run();
        } finally {
            System.exit(0);
        }
    }

    void run() throws Exception {
        Path data = Path.of("target/bench-access-data");
        ConfigurableApplicationContext broker = BenchBroker.start(data);
        try {
            decisions(broker);
            anonymousFlood(broker);
            revocation(broker);
        } finally {
            broker.close();
        }
        auditWrites("h2", h2(data.resolve("audit-h2")), "sa");
        String pg = postgres();
        if (pg != null) {
            auditWrites("postgresql", pg, System.getenv().getOrDefault("PGUSER", "postgres"));
        } else {
            line("audit writes on PostgreSQL: skipped (no server on 127.0.0.1:5432)");
        }
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/access.txt"), report);
    }

    // ------------------------------------------------------------------ 1. decisions

    void decisions(ConfigurableApplicationContext broker) {
        AuditedAccessGate gate = broker.getBean(AuditedAccessGate.class);
        CachedAccessFacts facts = broker.getBean(CachedAccessFacts.class);
        AccessRequest read = new AccessRequest(GP, PATIENT, AccessAction.READ, LAB, null, null, "rest", "bench",
                Instant.now());
        require(gate.decide(read), AccessReason.THERAPEUTIC_LINK);
        // warm-up of both paths
        timed(Duration.ofSeconds(3), () -> { facts.forgetAll(); require(gate.decide(read), AccessReason.THERAPEUTIC_LINK); });
        timed(Duration.ofSeconds(3), () -> require(gate.decide(read), AccessReason.THERAPEUTIC_LINK));
        long[] cold = timed(Duration.ofSeconds(seconds), () -> {
            facts.forgetAll();
            require(gate.decide(read), AccessReason.THERAPEUTIC_LINK);
        });
        long[] warm = timed(Duration.ofSeconds(seconds), () -> require(gate.decide(read), AccessReason.THERAPEUTIC_LINK));
        line("decision latency (one thread, gate + audit row on H2; anchor = same decision with a cold cache: 4 SOAP calls to the sandbox hubs)");
        line(String.format(Locale.ROOT, "  cold (anchor): %d decisions, p50 %.3f ms, p99 %.3f ms",
                cold.length, ms(pct(cold, 50)), ms(pct(cold, 99))));
        line(String.format(Locale.ROOT, "  warm         : %d decisions, p50 %.3f ms, p99 %.3f ms",
                warm.length, ms(pct(warm, 50)), ms(pct(warm, 99))));
        line(String.format(Locale.ROOT, "  ratio warm/cold p50: %.3f", (double) pct(warm, 50) / pct(cold, 50)));
        // the decision alone, without the audit row, to show where a warm decision's time goes
        long[] gateOnly = timed(Duration.ofSeconds(seconds), () -> require(gate.gate().decide(read), AccessReason.THERAPEUTIC_LINK));
        line(String.format(Locale.ROOT, "  warm, decision without the audit write: p50 %.4f ms, p99 %.4f ms",
                ms(pct(gateOnly, 50)), ms(pct(gateOnly, 99))));
    }

    // ------------------------------------------------------------------ 4. an anonymous flood beside identified callers

    void anonymousFlood(ConfigurableApplicationContext broker) throws InterruptedException {
        AuditedAccessGate gate = broker.getBean(AuditedAccessGate.class);
        AccessRequest read = new AccessRequest(GP, PATIENT, AccessAction.READ, LAB, null, null, "rest", "bench",
                Instant.now());
        AccessRequest anonymous = new AccessRequest(null, PATIENT, AccessAction.READ, LAB, null, null, "rest",
                "bench-anonymous", Instant.now());
        timed(Duration.ofSeconds(3), () -> require(gate.decide(read), AccessReason.THERAPEUTIC_LINK));
        long[] quiet = timed(Duration.ofSeconds(seconds), () -> require(gate.decide(read), AccessReason.THERAPEUTIC_LINK));
        // 500 req/s: 5 anonymous decisions every 10 ms, spread over 4 threads (as many request threads would)
        java.util.concurrent.ScheduledExecutorService flood = java.util.concurrent.Executors.newScheduledThreadPool(4);
        AtomicLong sent = new AtomicLong();
        for (int t = 0; t < 4; t++) {
            flood.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 5; i++) {
                    require(gate.decide(anonymous), AccessReason.UNAUTHENTICATED);
                    sent.incrementAndGet();
                }
            }, t * 10L, 40, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        long floodStart = System.nanoTime();
        long[] flooded;
        try {
            flooded = timed(Duration.ofSeconds(seconds), () -> require(gate.decide(read), AccessReason.THERAPEUTIC_LINK));
        } finally {
            flood.shutdownNow();
            flood.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        double rate = sent.get() / ((System.nanoTime() - floodStart) / 1e9);
        line("gate + audit decision, identified caller (one thread, warm cache, audit row on H2), with and without an"
                + " anonymous flood beside it (unauthenticated refusals: counted, not audited)");
        line(String.format(Locale.ROOT, "  quiet  : %d decisions, p50 %.3f ms, p99 %.3f ms",
                quiet.length, ms(pct(quiet, 50)), ms(pct(quiet, 99))));
        line(String.format(Locale.ROOT, "  flooded: %d decisions, p50 %.3f ms, p99 %.3f ms (flood %.0f req/s)",
                flooded.length, ms(pct(flooded, 50)), ms(pct(flooded, 99)), rate));
        line(String.format(Locale.ROOT, "  ratio flooded/quiet p99: %.3f (target <= 1.2)",
                (double) pct(flooded, 99) / pct(quiet, 99)));
    }

    // ------------------------------------------------------------------ 3. revocation under the cache

    void revocation(ConfigurableApplicationContext broker) throws InterruptedException {
        AuditedAccessGate gate = broker.getBean(AuditedAccessGate.class);
        HubClients clients = broker.getBean(HubClients.class);
        String ttl = broker.getEnvironment().getProperty("record-broker.access.facts-cache-ttl");
        AccessRequest read = new AccessRequest(GP, PATIENT, AccessAction.READ, LAB, null, null, "rest", "bench",
                Instant.now());
        broker.getBean(CachedAccessFacts.class).forgetAll();
        require(gate.decide(read), AccessReason.THERAPEUTIC_LINK); // the facts are fetched and cached now: worst case
        RevokePatientConsentRequestType revoke = new RevokePatientConsentRequestType();
        revoke.setRequest(Kmehr.request(Kmehr.professionalParty("12345625004", null, "persphysician", null, null),
                OffsetDateTime.now()));
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(PATIENT));
        // the schema requires the consent type on a revocation too
        be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT revoked = new be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT();
        revoked.setS(be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes.CD_CONSENTTYPE);
        revoked.setSV("1.0");
        revoked.setValue(be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues.RETROSPECTIVE);
        consent.getCd().add(revoked);
        consent.setRevokedate(Kmehr.date(LocalDate.now()));
        revoke.setConsent(consent);
        clients.hub("rsb").revokePatientConsent(revoke);
        long revokedAt = System.nanoTime();
        int allowedAfter = 0;
        while (gate.decide(read).allowed()) {
            allowedAfter++;
            Thread.sleep(100);
        }
        line(String.format(Locale.ROOT, "consent revoked at the hub: still allowed for %.1f s (%d decisions), then NO_CONSENT"
                + " (facts-cache-ttl %s)", (System.nanoTime() - revokedAt) / 1e9, allowedAfter, ttl));
    }

    // ------------------------------------------------------------------ 2. audit writes

    void auditWrites(String vendor, String url, String user) throws Exception {
        Flyway.configure().dataSource(url, user, "")
                .locations("classpath:db/migration", "classpath:db/migration-" + vendor)
                .placeholders(java.util.Map.of("runtime_role", "")).load().migrate();
        // pooled, as in the broker (Hikari): a new PostgreSQL connection per row would measure connection set-up
        com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(user);
        dataSource.setPassword("");
        dataSource.setMaximumPoolSize(4);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE audit_anchor AS SELECT * FROM audit_event WHERE 1 = 0");
        }
        JdbcAuditTrail trail = new JdbcAuditTrail(dataSource);
        AccessDecision allow = AccessDecision.allow(AccessReason.THERAPEUTIC_LINK, "link", null);
        for (int writers : new int[] {1, 4}) {
            double plain = perSecond(writers, () -> {
                try (Connection connection = dataSource.getConnection()) {
                    plainInsert(connection);
                }
            });
            double chained = perSecond(writers, () -> trail.record(new AccessRequest(GP, PATIENT,
                    AccessAction.READ, LAB, null, null, "rest", "bench", Instant.now()), allow));
            line(String.format(Locale.ROOT, "audit writes on %s, %d writer(s): chained %.0f/s, plain INSERT (anchor) %.0f/s,"
                    + " ratio %.2f", vendor, writers, chained, plain, chained / plain));
        }
        line("  chain after the run: " + trail.verify().describe());
        dataSource.close();
    }

    interface Write {
        void write() throws SQLException;
    }

    double perSecond(int writers, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        write.write();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return done.get() / (double) seconds;
    }

    void plainInsert(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_anchor (seq, recorded_at, request_id, face,"
                + " actor_nihii, actor_profession, actor_name, patient_ssin, action, document_id, decision, reason,"
                + " prev_hash, row_hash) VALUES (?, ?, 'bench', 'rest', '12345625004', 'persphysician', 'An',"
                + " '78040814421', 'read', 'rsb/RSBID/BRU-00003', 'allow', 'THERAPEUTIC_LINK', ?, ?)")) {
            s.setLong(1, SEQ.incrementAndGet());
            s.setObject(2, OffsetDateTime.now());
            s.setString(3, "0".repeat(64));
            s.setString(4, "0".repeat(64));
            s.executeUpdate();
        }
    }

    static final AtomicLong SEQ = new AtomicLong();

    String h2(Path dir) {
        // as the embedded default: a file, WRITE_DELAY=0 (committed rows reach the file at once)
        String url = "jdbc:h2:file:" + dir.toAbsolutePath() + "/audit;WRITE_DELAY=0";
        return url;
    }

    String postgres() {
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        try (Connection admin = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", user, "");
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS record_broker_audit_bench WITH (FORCE)");
            sql.execute("CREATE DATABASE record_broker_audit_bench");
        } catch (SQLException e) {
            return null;
        }
        String url = "jdbc:postgresql://127.0.0.1:5432/record_broker_audit_bench";
        return url;
    }

    // ------------------------------------------------------------------ helpers

    static void require(AccessDecision decision, AccessReason expected) {
        if (decision.reason() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + decision.reason() + ": " + decision.detail());
        }
    }

    static long[] timed(Duration duration, Runnable action) {
        long[] samples = new long[1 << 16];
        int n = 0;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            action.run();
            if (n == samples.length) {
                samples = Arrays.copyOf(samples, n * 2);
            }
            samples[n++] = System.nanoTime() - t0;
        }
        long[] out = Arrays.copyOf(samples, n);
        Arrays.sort(out);
        return out;
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
