package be.recordbroker.prod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;


import com.fasterxml.jackson.databind.ObjectMapper;

import be.recordbroker.TestMllp;
import be.recordbroker.BrokerJvm;
import be.recordbroker.TestIo;
import be.recordbroker.ingest.Hl7TestMessages;

/**
 * The cluster test (issue 14): two broker instances, each its own JVM in the prod profile, on the standalone Artemis
 * replication pair (two processes started by docker/artemis/entrypoint.sh from the distribution the build unpacks, on
 * free ports) and PostgreSQL on loopback (a database of its own), with the sandbox network (the hubs) in a third JVM.
 * {@code clusterit.messages} (default 10,000, as issue 14 asks; e.g. {@code -Dclusterit.messages=2000} for less) MDM messages
 * from the three sandbox hospitals (three hubs, so three per-hub queues) are sent over MLLP by 4 senders, two on each
 * instance; one message in ten belongs to a T02→T10→T11 chain of one patient, whose next step is sent only once the
 * previous one was acknowledged, by whichever sender is free (so usually to the other instance: a patient's order must
 * hold across instances). After ~30 % of the messages are acknowledged the second broker instance is SIGKILLed (its
 * senders go on with the first), after ~60 % the live Artemis node (the primary): the backup takes over and the
 * brokers' JMS connections move to it by themselves. Senders resend whatever was not answered AA.
 *
 * <p>Then: every acknowledged message has one hl7_accepted and one hl7_applied row in PostgreSQL; every lone document
 * is declared at its hub and every chain reached the hub in order (T02's document declared, then revoked and the
 * replacement declared, then the replacement revoked: the sandbox's declaration log, which also records revocations,
 * in the order the hubs accepted them); no dead letter; the audit chain, with rows written by both instances in turn
 * and one after the kills, verifies intact. Figures in {@code target/cluster-it/summary.txt} (with every process's
 * log): the failover time (SIGKILL of the live Artemis node to the first AA of a message sent after it) and the
 * broker instances' CPU time per applied message, while two instances consume and while one does.
 *
 * <p>Before the messages (test 1), a consent revoked at the hub and announced to broker 1 by the ops call is refused
 * by both instances at once.
 *
 * <p>10,000 messages took 7.7 minutes of test time on a 2-core machine shared with other builds (load 35-50): about
 * 4 minutes for the five JVMs to start, 3 for the messages to be acknowledged, 40 s more to apply the rest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int MESSAGES = Integer.getInteger("clusterit.messages", 10_000);
    private static final int SENDERS = 4;
    private static final int PATIENTS = 300;
    /** One message in CHAIN_SHARE belongs to a 3-message chain. */
    private static final int CHAIN_SHARE = 10;
    private static final String[] HOSPITALS = {"SANDBOX-BRU", "SANDBOX-GNT", "SANDBOX-LGE"};
    private static final Map<String, String> HUB_OF = Map.of("SANDBOX-BRU", "rsb", "SANDBOX-GNT", "cozo",
            "SANDBOX-LGE", "rsw");
    private static final double WARM_UP = 0.1;
    private static final double KILL_BROKER_AT = 0.3;
    private static final double KILL_ARTEMIS_AT = 0.6;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    /** A JVM's start-up: 20-40 s on an idle 2-core machine, minutes when five start at once beside other builds. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Integer.getInteger("clusterit.start-seconds", 600));
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(Integer.getInteger("clusterit.phase-seconds", 900));

    private static final String RUNTIME_ROLE = "cluster_it_rt";
    private static final String DATABASE = "cluster_it";
    private static final String ARTEMIS_USER = "rb-cluster-it";
    private static final String ARTEMIS_PASSWORD = "rb-cluster-it-secret";
    private static final String OPS_BASIC = "Basic " + Base64.getEncoder().encodeToString(
            "ops:sandbox-ops-secret".getBytes(StandardCharsets.UTF_8));
    /** A sandbox seed patient with an active consent: reading his own audit trail writes an audit row. */
    private static final String AUDITED_PATIENT = "12020175988";

    private static final Path BASE = Path.of("").toAbsolutePath();
    private static final Path OUT = BASE.resolve("target/cluster-it");
    private static final Path DECLARATIONS = OUT.resolve("declarations.log");

    private static final List<Process> PROCESSES = new ArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private static String databaseUrl;
    private static long t0;
    private static int primaryPort;
    private static int backupPort;
    private static Process primary;
    private static String hubsBase;
    private static final Instance[] instances = new Instance[2];

    /** The cluster: the Artemis pair, the sandbox hubs, two broker instances; a database of its own. */
    @BeforeAll
    static void startCluster() throws Exception {
        Path artemisHome = Path.of(System.getProperty("artemis.home", "target/artemis-dist/apache-artemis-2.44.0"))
                .toAbsolutePath();
        assumeTrue(Files.isExecutable(artemisHome.resolve("bin/artemis")), "no Artemis distribution (run through ./mvnw)");
        databaseUrl = LocalPostgres.freshDatabase(DATABASE);
        LocalPostgres.grantRuntimeRole(DATABASE, RUNTIME_ROLE);
        TestIo.deleteTree(OUT);
        Files.createDirectories(OUT);
        t0 = System.nanoTime();

        // ---- the Artemis pair
        primaryPort = TestIo.freePort();
        backupPort = TestIo.freePort();
        primary = startArtemis(artemisHome, "primary", primaryPort, backupPort);
        awaitOrFail("the Artemis primary to listen (artemis-primary.log)", START_TIMEOUT, () -> portOpen(primaryPort));
        startArtemis(artemisHome, "backup", backupPort, primaryPort);
        // AMQ221024: the backup holds a full copy of the primary's journal
        awaitOrFail("the Artemis backup to synchronize (artemis-backup.log)", START_TIMEOUT,
                () -> logContains("artemis-backup.log", "AMQ221024"));
        String artemisUrl = "(tcp://127.0.0.1:" + primaryPort + ",tcp://127.0.0.1:" + backupPort + ")?ha=true"
                + "&reconnectAttempts=-1&retryInterval=500&retryIntervalMultiplier=2.0&maxRetryInterval=5000";

        // ---- the sandbox network (the hubs, the identity provider) in its own JVM
        int hubsPort = TestIo.freePort();
        List<String> sandbox = new ArrayList<>(BrokerJvm.command("-Xmx384m", "-XX:+ExitOnOutOfMemoryError"));
        sandbox.addAll(List.of("--spring.profiles.active=sandbox", "--server.port=" + hubsPort,
                "--management.server.port=" + TestIo.freePort(),
                "--record-broker.mllp.port=" + TestIo.freePort(),
                "--record-broker.sites.sandbox-lge.mllp-port=" + TestIo.freePort(),
                "--record-broker.data-dir=" + OUT.resolve("sandbox-data"),
                "--record-broker.sandbox.declaration-log=" + DECLARATIONS,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        start(sandbox, "sandbox.log");
        hubsBase = "http://127.0.0.1:" + hubsPort;
        awaitOrFail("the sandbox network (sandbox.log)", START_TIMEOUT,
                () -> status(HttpRequest.newBuilder(URI.create(hubsBase + "/sandbox/jwks.json")).GET()) == 200);
        Path networkFile = OUT.resolve("network.yaml");
        Files.writeString(networkFile, Files.readString(BASE.resolve("config/network.yaml"))
                .replace("url: /", "url: " + hubsBase + "/"));

        // ---- two broker instances, prod profile, the same settings but their own ports
        String auditKey = randomKey();
        String documentIdKey = randomKey();
        for (int n = 0; n < 2; n++) {
            instances[n] = new Instance(n + 1);
            instances[n].start(artemisUrl, databaseUrl, networkFile, hubsBase, auditKey, documentIdKey);
        }
        for (Instance instance : instances) {
            awaitOrFail("broker " + instance.number + " ready (broker-" + instance.number + ".log)", START_TIMEOUT,
                    instance::ready);
        }

    }

    @AfterAll
    static void stopEverything() {
        for (Process p : PROCESSES) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** One message: a lone T02, or a step of a chain (the next step is sent once this one is AA'd). */
    private record Item(String facility, String trigger, String control, String ssin, String document, String parent,
                        int next) {
    }

    /**
     * Issue 14: a consent revoked at the hub, announced to one instance by the ops call, is refused by both at once. The
     * instances cache a patient's facts for 10 minutes here (record-broker.access.facts-cache-ttl), so a refusal
     * within seconds is the announcement's doing, not the TTL's.
     */
    @Test
    @Order(1)
    void aConsentRevokedAtTheHubAndAnnouncedToOneInstanceIsRefusedByBothAtOnce() throws Exception {
        String patient = ssin(PATIENTS + 17); // none of the messages' patients
        String gp = "12345625004";
        be.recordbroker.SandboxSetup hubs = be.recordbroker.SandboxSetup.overHttp(hubsBase);
        hubs.consent(patient);
        hubs.link(patient, gp, "gpconsultation", java.time.LocalDate.now().minusMonths(1));
        String token = token("{\"nihii\":\"" + gp + "\",\"profession\":\"persphysician\",\"name\":\"An Verstraeten\"}");
        for (Instance instance : instances) {
            HttpResponse<String> allowed = search(instance, patient, token);
            assertThat(allowed.statusCode()).as("broker " + instance.number + ": " + allowed.body()).isEqualTo(200);
        }
        hubs.revokeConsent(patient);
        for (Instance instance : instances) {
            HttpResponse<String> cached = search(instance, patient, token);
            assertThat(cached.statusCode()).as("broker " + instance.number + " answers from its cache: "
                    + cached.body()).isEqualTo(200);
        }

        HttpResponse<String> forget = HTTP.send(HttpRequest.newBuilder(URI.create(instances[0].management()
                        + "/api/v1/admin/patients/" + patient + "/forget-facts")).header("Authorization", OPS_BASIC)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forget.statusCode()).as(forget.body()).isEqualTo(200);

        HttpResponse<String> here = search(instances[0], patient, token);
        assertThat(here.statusCode()).as("broker 1, which was told: " + here.body()).isEqualTo(403);
        long heardBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int there;
        do {
            there = search(instances[1], patient, token).statusCode();
        } while (there != 403 && System.nanoTime() < heardBy && sleep(100));
        assertThat(there).as("broker 2, told by broker 1 over the topic").isEqualTo(403);
    }

    @Test
    @Order(2)
    void twoInstancesOnTheArtemisPairLoseNothingDuplicateNothingAndKeepEachPatientsOrderAcrossKills()
            throws Exception {
        // ---- audit rows from both instances, in the one chain
        String token = patientToken(hubsBase);
        int auditRowsBefore = count(databaseUrl, "SELECT COUNT(*) FROM audit_event");
        for (int round = 0; round < 6; round++) {
            Instance instance = instances[round % 2];
            int before = count(databaseUrl, "SELECT COUNT(*) FROM audit_event");
            HttpResponse<String> own = HTTP.send(HttpRequest.newBuilder(URI.create(instance.base()
                            + "/api/v1/patients/" + AUDITED_PATIENT + "/audit")).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(own.statusCode()).as("broker " + instance.number + ": " + own.body()).isEqualTo(200);
            assertThat(count(databaseUrl, "SELECT COUNT(*) FROM audit_event")).as("an audit row written by broker "
                    + instance.number).isGreaterThan(before);
        }

        // ---- the messages
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36).toUpperCase(Locale.ROOT);
        List<Item> items = plan(run);
        Senders senders = new Senders(items, instances);
        String appliedSql = "SELECT COUNT(*) FROM hl7_applied WHERE control_id LIKE 'CI" + run + "-%'";
        // the same run as A/B: CPU per applied message while two instances consume, then while one does
        long[] cpuAtStart = {instances[0].cpuNanos(), instances[1].cpuNanos()};
        long[] cpuAtBrokerKill = new long[2];
        int appliedAtBrokerKill;
        long cpuAtArtemisKill;
        int appliedAtArtemisKill;
        long sendingStarted = System.nanoTime();
        senders.start();
        long killBrokerMillis;
        long killArtemisAt;
        int aasAtBrokerKill;
        int aasAtArtemisKill;
        long[] cpuWarm = new long[2];
        int appliedWarm;
        try {
            // the A/B window starts once both JVMs have compiled their hot paths (the first 10 %)
            int warmTarget = (int) (MESSAGES * WARM_UP);
            awaitOrFail(warmTarget + " AAs", PHASE_TIMEOUT,
                    () -> senders.acked.get() >= warmTarget || senders.failure.get() != null);
            cpuWarm[0] = instances[0].cpuNanos();
            cpuWarm[1] = instances[1].cpuNanos();
            appliedWarm = count(databaseUrl, appliedSql);

            int brokerKillTarget = (int) (MESSAGES * KILL_BROKER_AT);
            awaitOrFail(brokerKillTarget + " AAs", PHASE_TIMEOUT,
                    () -> senders.acked.get() >= brokerKillTarget || senders.failure.get() != null);
            assertThat(senders.failure.get()).as("sender failure").isNull();
            aasAtBrokerKill = senders.acked.get();
            cpuAtBrokerKill[0] = instances[0].cpuNanos();
            cpuAtBrokerKill[1] = instances[1].cpuNanos();
            appliedAtBrokerKill = count(databaseUrl, appliedSql);
            long k0 = System.nanoTime();
            instances[1].kill(); // SIGKILL: its consumers' unacknowledged messages go back to the queues
            killBrokerMillis = (System.nanoTime() - k0) / 1_000_000;

            int artemisKillTarget = (int) (MESSAGES * KILL_ARTEMIS_AT);
            awaitOrFail(artemisKillTarget + " AAs", PHASE_TIMEOUT,
                    () -> senders.acked.get() >= artemisKillTarget || senders.failure.get() != null);
            assertThat(senders.failure.get()).as("sender failure").isNull();
            aasAtArtemisKill = senders.acked.get();
            cpuAtArtemisKill = instances[0].cpuNanos();
            appliedAtArtemisKill = count(databaseUrl, appliedSql);
            killArtemisAt = System.nanoTime();
            senders.firstAaAfter.set(Long.MAX_VALUE);
            senders.markAfter = killArtemisAt;
            primary.descendants().forEach(ProcessHandle::destroyForcibly);
            primary.destroyForcibly(); // SIGKILL of the live node: no goodbye to the backup

            awaitOrFail("every message acknowledged AA", PHASE_TIMEOUT,
                    () -> senders.acked.get() >= items.size() || senders.failure.get() != null);
        } finally {
            senders.stop();
        }
        assertThat(senders.failure.get()).as("sender failure").isNull();
        long sentMillis = (System.nanoTime() - sendingStarted) / 1_000_000;
        long failoverMillis = senders.firstAaAfter.get() == Long.MAX_VALUE ? -1
                : (senders.firstAaAfter.get() - killArtemisAt) / 1_000_000;

        // ---- drained: every message applied (ledger), every document in its final state at its hub
        Set<String> controls = new HashSet<>();
        items.forEach(i -> controls.add(i.control()));
        awaitOrFail("every message applied (hl7_applied)", PHASE_TIMEOUT,
                () -> safeCount(databaseUrl, "SELECT COUNT(*) FROM hl7_applied WHERE control_id LIKE 'CI" + run
                        + "-%'") >= items.size());
        Map<String, String> expectedFinal = expectedFinalStates(items);
        awaitOrFail("every document in its final state at its hub", Duration.ofSeconds(60),
                () -> hubEvents().finalStates().entrySet().containsAll(expectedFinal.entrySet()));
        long drainedMillis = (System.nanoTime() - sendingStarted) / 1_000_000;
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        long cpuApplied = (instances[0].cpuNanos() - cpuAtStart[0]) + (cpuAtBrokerKill[1] - cpuAtStart[1]);
        double cpuPerMessageTwo = (cpuAtBrokerKill[0] - cpuWarm[0] + cpuAtBrokerKill[1] - cpuWarm[1]) / 1e6
                / Math.max(1, appliedAtBrokerKill - appliedWarm);
        double cpuPerMessageOne = (cpuAtArtemisKill - cpuAtBrokerKill[0]) / 1e6
                / Math.max(1, appliedAtArtemisKill - appliedAtBrokerKill);

        // ---- the audit chain, with rows from both instances and one after the kills, verified by the surviving one
        HttpResponse<String> afterKills = HTTP.send(HttpRequest.newBuilder(URI.create(instances[0].base()
                        + "/api/v1/patients/" + AUDITED_PATIENT + "/audit")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(afterKills.statusCode()).as("broker 1 after the kills: " + afterKills.body()).isEqualTo(200);
        HttpResponse<String> verify = HTTP.send(HttpRequest.newBuilder(URI.create(instances[0].management()
                        + "/api/v1/admin/audit/verify")).header("Authorization", OPS_BASIC)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        int auditRows = count(databaseUrl, "SELECT COUNT(*) FROM audit_event");

        // ---- evidence
        Set<String> accepted = strings(databaseUrl, "SELECT control_id FROM hl7_accepted WHERE control_id LIKE 'CI"
                + run + "-%'");
        Set<String> applied = strings(databaseUrl, "SELECT control_id FROM hl7_applied WHERE control_id LIKE 'CI"
                + run + "-%'");
        HubEvents hub = hubEvents();
        List<String> chainsOutOfOrder = chainsOutOfOrder(items, hub);
        long deadLettered = brokerLogLines().stream().filter(l -> l.contains("dead-lettered")).count();
        long skipped = brokerLogLines().stream().filter(l -> l.contains("was already applied")).count();
        int declareCalls = hub.declareCalls();
        int distinctDeclared = hub.firstDeclared().size();
        long chains = items.stream().filter(i -> "T11".equals(i.trigger())).count();

        StringBuilder summary = new StringBuilder()
                .append("ClusterIT run ").append(run).append(": 2 broker instances (prod profile, own JVMs), Artemis")
                .append(" replication pair (primary ").append(primaryPort).append(", backup ").append(backupPort)
                .append("), PostgreSQL database ").append(DATABASE).append(", sandbox hubs in their own JVM; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n")
                .append("messages ").append(items.size()).append(" (").append(chains).append(" T02>T10>T11 chains), ")
                .append(SENDERS).append(" senders, ").append(HOSPITALS.length).append(" hospitals/hubs, ")
                .append(PATIENTS).append(" patients\n")
                .append("AAs by broker 1 ").append(senders.aasBy[0].get()).append(", by broker 2 ")
                .append(senders.aasBy[1].get()).append('\n')
                .append("kill 1: SIGKILL of broker 2 after ").append(aasAtBrokerKill).append(" AAs (gone in ")
                .append(killBrokerMillis).append(" ms); its senders went on with broker 1\n")
                .append("kill 2: SIGKILL of the live Artemis node (primary) after ").append(aasAtArtemisKill)
                .append(" AAs; failover time (SIGKILL to the first AA of a message sent after it) ")
                .append(failoverMillis).append(" ms\n")
                .append("sends ").append(senders.sends.get()).append(" (resends ").append(senders.resends.get())
                .append(": dropped connection ").append(senders.ioFailures.get()).append(", ACK timeout ")
                .append(senders.timeouts.get()).append(", AE ").append(senders.aes.get())
                .append("); connection attempts refused ").append(senders.refused.get()).append('\n')
                .append("hl7_accepted rows ").append(accepted.size()).append(", hl7_applied rows ").append(applied.size())
                .append("; skipped by a consumer as already applied ").append(skipped).append('\n')
                .append("hub DeclareTransaction calls ").append(declareCalls).append(" for ").append(distinctDeclared)
                .append(" documents (repeated calls ").append(declareCalls - distinctDeclared)
                .append(", after a kill between the hub's answer and the ledger's commit); RevokeTransaction calls ")
                .append(hub.revokeCalls()).append('\n')
                .append("chains out of order ").append(chainsOutOfOrder.size()).append("; dead-lettered ")
                .append(deadLettered).append('\n')
                .append("audit rows ").append(auditRowsBefore).append(" -> ").append(auditRows).append(", verify: ")
                .append(verify.statusCode()).append(' ').append(verify.body()).append('\n')
                .append(String.format(Locale.ROOT, "broker CPU time per applied message %.2f ms over the run (both"
                                + " instances' process CPU while sending and draining / messages); %.2f ms while two"
                                + " instances consumed (10-30 %%: %d applied), %.2f ms while one did (30-60 %%: %d"
                                + " applied)%n",
                        cpuApplied / 1e6 / items.size(), cpuPerMessageTwo, appliedAtBrokerKill - appliedWarm,
                        cpuPerMessageOne, appliedAtArtemisKill - appliedAtBrokerKill))
                .append("every message acknowledged ").append(sentMillis).append(" ms after the first was sent; all")
                .append(" applied and at their hubs at ").append(drainedMillis).append(" ms; wall time with the")
                .append(" start-up of the five processes ").append(wallMillis).append(" ms\n");
        System.out.print(summary);
        Files.writeString(OUT.resolve("summary.txt"), summary);

        assertThat(senders.acked.get()).as("messages acknowledged AA").isEqualTo(items.size());
        assertThat(senders.aasBy[0].get()).as("AAs by broker 1").isPositive();
        assertThat(senders.aasBy[1].get()).as("AAs by broker 2 before its kill").isPositive();
        assertThat(failoverMillis).as("an AA after the Artemis primary was killed").isNotNegative();
        assertThat(missing(controls, accepted)).as("messages without an hl7_accepted row").isEmpty();
        assertThat(accepted).as("hl7_accepted: one row per message").hasSize(items.size());
        assertThat(missing(controls, applied)).as("messages without an hl7_applied row").isEmpty();
        assertThat(applied).as("hl7_applied: one row per message").hasSize(items.size());
        Map<String, String> finalStates = hub.finalStates();
        List<String> wrongState = expectedFinal.entrySet().stream()
                .filter(e -> !e.getValue().equals(finalStates.get(e.getKey())))
                .map(e -> e.getKey() + " " + finalStates.get(e.getKey()) + " (expected " + e.getValue() + ")")
                .limit(20).toList();
        assertThat(wrongState).as("documents not in their final state at the hub").isEmpty();
        assertThat(chainsOutOfOrder).as("chains whose steps reached the hub out of order").isEmpty();
        assertThat(deadLettered).as("dead letters").isZero();
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        assertThat(verify.body()).contains("\"intact\":true");
        assertThat(logContains("artemis-backup.log", "AMQ221007")).as("the backup became active").isTrue();
    }

    // ------------------------------------------------------------------------------------------------ the plan

    /**
     * Lone T02s and, one message in {@link #CHAIN_SHARE}, chains of one patient: T02 declares D, T10 replaces D by D'
     * (D revoked, D' declared), T11 cancels D' (revoked). Hospitals and patients vary with the index.
     */
    private static List<Item> plan(String run) {
        List<Item> items = new ArrayList<>();
        int chainsWanted = MESSAGES / CHAIN_SHARE / 3;
        for (int c = 0; c < chainsWanted; c++) {
            String facility = HOSPITALS[c % HOSPITALS.length];
            String ssin = ssin(c % PATIENTS);
            String first = "CI-" + run + "-C" + c + "a";
            String replacement = "CI-" + run + "-C" + c + "b";
            int at = items.size();
            items.add(new Item(facility, "T02", "CI" + run + "-" + at, ssin, first, null, at + 1));
            items.add(new Item(facility, "T10", "CI" + run + "-" + (at + 1), ssin, replacement, first, at + 2));
            items.add(new Item(facility, "T11", "CI" + run + "-" + (at + 2), ssin, replacement, null, -1));
        }
        for (int i = items.size(); i < MESSAGES; i++) {
            items.add(new Item(HOSPITALS[i % HOSPITALS.length], "T02", "CI" + run + "-" + i, ssin(i % PATIENTS),
                    "CI-" + run + "-" + i, null, -1));
        }
        return items;
    }

    /** hub TAB document -> declared or revoked, as the hubs should hold them at the end. */
    private static Map<String, String> expectedFinalStates(List<Item> items) {
        Map<String, String> expected = new HashMap<>();
        for (Item item : items) {
            String key = HUB_OF.get(item.facility()) + "\t" + item.document();
            switch (item.trigger()) {
                case "T02" -> expected.putIfAbsent(key, "declared");
                case "T10" -> {
                    expected.put(HUB_OF.get(item.facility()) + "\t" + item.parent(), "revoked");
                    expected.put(key, "declared");
                }
                default -> expected.put(key, "revoked");
            }
        }
        return expected;
    }

    /**
     * A chain reached its hub in order when D's first declaration precedes D's first revocation, which precedes D''s
     * first declaration, which precedes D''s first revocation (positions in the hubs' log).
     */
    private static List<String> chainsOutOfOrder(List<Item> items, HubEvents hub) {
        List<String> wrong = new ArrayList<>();
        for (Item item : items) {
            if (!"T10".equals(item.trigger())) {
                continue;
            }
            String hubCode = HUB_OF.get(item.facility());
            String first = hubCode + "\t" + item.parent();
            String replacement = hubCode + "\t" + item.document();
            int[] order = {hub.firstDeclared().getOrDefault(first, -1), hub.firstRevoked().getOrDefault(first, -1),
                    hub.firstDeclared().getOrDefault(replacement, -1), hub.firstRevoked().getOrDefault(replacement, -1)};
            boolean inOrder = order[0] >= 0 && order[0] < order[1] && order[1] < order[2] && order[2] < order[3];
            if (!inOrder && wrong.size() < 20) {
                wrong.add(item.parent() + " " + java.util.Arrays.toString(order));
            }
        }
        return wrong;
    }

    // ------------------------------------------------------------------------------------------------ the hubs' log

    private record HubEvents(Map<String, Integer> firstDeclared, Map<String, Integer> firstRevoked,
                             Map<String, String> finalStates, int declareCalls, int revokeCalls) {
    }

    /** The sandbox hubs' log: hub TAB localId (a declaration) or hub TAB localId TAB revoked, in acceptance order. */
    private static HubEvents hubEvents() {
        Map<String, Integer> declared = new HashMap<>();
        Map<String, Integer> revoked = new HashMap<>();
        Map<String, String> states = new HashMap<>();
        int declares = 0;
        int revokes = 0;
        List<String> lines;
        try {
            lines = Files.exists(DECLARATIONS) ? Files.readAllLines(DECLARATIONS, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int n = 0; n < lines.size(); n++) {
            String[] parts = lines.get(n).split("\t");
            if (parts.length < 2 || !parts[1].startsWith("CI-")) {
                continue;
            }
            String key = parts[0] + "\t" + parts[1];
            if (parts.length == 3 && "revoked".equals(parts[2])) {
                revokes++;
                revoked.putIfAbsent(key, n);
                states.put(key, "revoked");
            } else {
                declares++;
                declared.putIfAbsent(key, n);
                states.put(key, "declared");
            }
        }
        return new HubEvents(declared, revoked, states, declares, revokes);
    }

    // ------------------------------------------------------------------------------------------------ processes

    /** A broker instance: its own JVM, prod profile, its own HTTP, management and MLLP ports. */
    private static final class Instance {

        final int number;
        final int httpPort = TestIo.freePort();
        final int managementPort = TestIo.freePort();
        final int mllpPort = TestIo.freePort();
        Process process;

        Instance(int number) {
            this.number = number;
        }

        void start(String artemisUrl, String databaseUrl, Path networkFile, String hubsBase, String auditKey,
                   String documentIdKey) throws IOException {
            // without the sandbox on the class path, as the packaged jar runs (SandboxGuard refuses it with prod)
            List<String> command = new ArrayList<>(BrokerJvm.commandWithoutSandbox("-Xmx512m",
                    "-XX:+ExitOnOutOfMemoryError"));
            command.addAll(List.of("--spring.profiles.active=prod",
                    "--server.port=" + httpPort, "--management.server.port=" + managementPort,
                    "--record-broker.mllp.port=" + mllpPort,
                    "--record-broker.data-dir=" + OUT.resolve("broker-" + number + "-data"),
                    "--record-broker.network-file=" + networkFile));
            command.addAll(ProdBrokerArgs.of(artemisUrl, ARTEMIS_USER, ARTEMIS_PASSWORD, databaseUrl, RUNTIME_ROLE,
                    hubsBase));
            command.addAll(List.of(
                    "--record-broker.audit.key=" + auditKey,
                    "--record-broker.audit.key-id=cluster-it",
                    "--record-broker.document-id.key=" + documentIdKey,
                    // long, so that only an announcement can explain a revocation seen within seconds (test 1)
                    "--record-broker.access.facts-cache-ttl=10m",
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN",
                    // the duplicate and redelivery lines the summary counts
                    "--logging.level.be.recordbroker.ingest=INFO"));
            String extra = System.getProperty("clusterit.broker-args", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            process = ClusterIT.start(command, "broker-" + number + ".log");
        }

        boolean ready() {
            if (!process.isAlive()) {
                throw new AssertionError("broker " + number + " exited with " + process.exitValue()
                        + "; see target/cluster-it/broker-" + number + ".log");
            }
            return mllpOpen() && status(HttpRequest.newBuilder(URI.create(management()
                    + "/actuator/health/readiness")).GET()) == 200;
        }

        String base() {
            return "http://127.0.0.1:" + httpPort;
        }

        String management() {
            return "http://127.0.0.1:" + managementPort;
        }

        /** The JVM's CPU time so far (user + system, from the OS). */
        long cpuNanos() {
            return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL on Linux
            process.waitFor(60, TimeUnit.SECONDS);
        }

        private boolean mllpOpen() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", mllpPort), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static Process start(List<String> command, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(BASE.toFile()).redirectErrorStream(true)
                .redirectOutput(OUT.resolve(log).toFile());
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove("RECORD_BROKER_DATA_DIR");
        Process process = builder.start();
        PROCESSES.add(process);
        return process;
    }

    /** One node of the pair, created and run by the image's own entrypoint (docker/artemis/entrypoint.sh). */
    private static Process startArtemis(Path home, String role, int port, int peerPort) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", BASE.resolve("docker/artemis/entrypoint.sh").toString())
                .redirectErrorStream(true).redirectOutput(OUT.resolve("artemis-" + role + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("ARTEMIS_HOME", home.toString());
        env.put("ARTEMIS_INSTANCE", OUT.resolve("artemis-" + role).toString());
        env.put("ARTEMIS_ROLE", role);
        env.put("ARTEMIS_HOST", "127.0.0.1");
        env.put("ARTEMIS_PORT", Integer.toString(port));
        env.put("ARTEMIS_PEER", "127.0.0.1");
        env.put("ARTEMIS_PEER_PORT", Integer.toString(peerPort));
        env.put("ARTEMIS_USER", ARTEMIS_USER);
        env.put("ARTEMIS_PASSWORD", ARTEMIS_PASSWORD);
        env.put("ARTEMIS_CLUSTER_USER", "rb-cluster");
        env.put("ARTEMIS_CLUSTER_PASSWORD", "rb-cluster-it-peer");
        Process process = builder.start();
        PROCESSES.add(process);
        return process;
    }

    // ------------------------------------------------------------------------------------------------ the senders

    /**
     * Sender threads, each with one persistent connection and one message in flight, the even ones on broker 1 and the
     * odd ones on broker 2. A message not answered AA goes to the back of the queue and is sent again; a sender whose
     * connection failed tries the other instance next (a hospital's failover to the surviving instance).
     */
    private static final class Senders {

        final List<Item> items;
        final Instance[] instances;
        final LinkedBlockingDeque<Integer> pending = new LinkedBlockingDeque<>();
        final AtomicIntegerArray attempts;
        final AtomicIntegerArray aa;
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger[] aasBy = {new AtomicInteger(), new AtomicInteger()};
        final AtomicInteger sends = new AtomicInteger();
        final AtomicInteger resends = new AtomicInteger();
        final AtomicInteger timeouts = new AtomicInteger();
        final AtomicInteger ioFailures = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger aes = new AtomicInteger();
        final AtomicLong firstAaAfter = new AtomicLong(Long.MAX_VALUE);
        volatile long markAfter = Long.MAX_VALUE;
        final AtomicReference<String> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean stopped;

        Senders(List<Item> items, Instance[] instances) {
            this.items = items;
            this.instances = instances;
            this.attempts = new AtomicIntegerArray(items.size());
            this.aa = new AtomicIntegerArray(items.size());
            Set<Integer> laterSteps = new HashSet<>();
            items.forEach(item -> {
                if (item.next() >= 0) {
                    laterSteps.add(item.next());
                }
            });
            // chain heads spread among the lone messages, so chains run while the kills happen
            List<Integer> lone = new ArrayList<>();
            List<Integer> heads = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (!laterSteps.contains(i)) {
                    (items.get(i).next() >= 0 ? heads : lone).add(i);
                }
            }
            int every = heads.isEmpty() ? Integer.MAX_VALUE : Math.max(1, lone.size() / heads.size());
            int h = 0;
            for (int l = 0; l < lone.size(); l++) {
                if (l % every == 0 && h < heads.size()) {
                    pending.add(heads.get(h++));
                }
                pending.add(lone.get(l));
            }
            while (h < heads.size()) {
                pending.add(heads.get(h++));
            }
        }

        void start() {
            for (int t = 0; t < SENDERS; t++) {
                int home = t % 2;
                Thread thread = new Thread(() -> run(home), "cluster-it-sender-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread thread : threads) {
                thread.join(ACK_TIMEOUT.toMillis() + 5000);
            }
        }

        String message(int i) {
            Item item = items.get(i);
            byte[] content = "T11".equals(item.trigger()) ? null
                    : ("%PDF-1.4\n" + item.control() + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
            return Hl7TestMessages.mdm(item.facility(), item.trigger(), item.control(), item.ssin(), item.document(),
                    item.parent(), content);
        }

        private void run(int home) {
            Socket socket = null;
            int target = home;
            try {
                while (!stopped && acked.get() < items.size()) {
                    Integer i = pending.poll(100, TimeUnit.MILLISECONDS);
                    if (i == null) {
                        continue;
                    }
                    if (socket == null) {
                        try {
                            socket = TestMllp.connect(instances[target].mllpPort, ACK_TIMEOUT);
                        } catch (IOException refusedNow) {
                            refused.incrementAndGet();
                            pending.addFirst(i);
                            target = 1 - target; // the other instance
                            Thread.sleep(100 + (long) (Math.random() * 200));
                            continue;
                        }
                    }
                    if (attempts.getAndIncrement(i) > 0) {
                        resends.incrementAndGet();
                    }
                    sends.incrementAndGet();
                    String ack;
                    long sentAt = System.nanoTime();
                    try {
                        ack = TestMllp.exchange(socket, message(i));
                    } catch (IOException e) {
                        if (e instanceof java.net.SocketTimeoutException) {
                            timeouts.incrementAndGet();
                        } else {
                            ioFailures.incrementAndGet();
                            target = 1 - target; // this instance may be gone: resend to the other
                        }
                        TestIo.closeQuietly(socket);
                        socket = null;
                        pending.addLast(i);
                        Thread.sleep(100 + (long) (Math.random() * 200));
                        continue;
                    }
                    TestMllp.Msa msa = TestMllp.msa(ack);
                    if (msa == null || !items.get(i).control().equals(msa.control())) {
                        failure.compareAndSet(null, "unexpected answer to " + items.get(i).control() + ": " + ack);
                        return;
                    }
                    switch (msa.code()) {
                        case "AA" -> {
                            if (aa.getAndIncrement(i) == 0) {
                                acked.incrementAndGet();
                                aasBy[target].incrementAndGet();
                                if (sentAt > markAfter) {
                                    // sent after the mark: an AA that was on its way then does not count
                                    firstAaAfter.accumulateAndGet(System.nanoTime(), Math::min);
                                }
                                int next = items.get(i).next();
                                if (next >= 0) {
                                    // the patient's next step, next in line for whichever sender is free
                                    pending.addFirst(next);
                                }
                            }
                        }
                        case "AE" -> {
                            aes.incrementAndGet();
                            pending.addLast(i);
                            Thread.sleep(200);
                        }
                        default -> {
                            failure.compareAndSet(null, msa.code() + " for " + items.get(i).control() + ": " + ack);
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e.toString());
            } finally {
                TestIo.closeQuietly(socket);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> search(Instance instance, String patient, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance.base() + "/api/v1/patients/" + patient
                        + "/documents")).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String claims) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(hubsBase + "/sandbox/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(claims)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).path("token").asText();
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static String patientToken(String hubsBase) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(hubsBase + "/sandbox/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ssin\":\"" + AUDITED_PATIENT
                        + "\",\"profession\":\"patient\",\"name\":\"Lucas\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body()).path("token").asText();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int status(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int count(String databaseUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl, LocalPostgres.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int safeCount(String databaseUrl, String sql) {
        try {
            return count(databaseUrl, sql);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Set<String> strings(String databaseUrl, String sql) throws SQLException {
        Set<String> values = new HashSet<>();
        try (Connection c = DriverManager.getConnection(databaseUrl, LocalPostgres.USER, "");
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static List<String> missing(Set<String> expected, Set<String> found) {
        return expected.stream().filter(e -> !found.contains(e)).sorted().limit(20).toList();
    }

    private static List<String> brokerLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            Path log = OUT.resolve("broker-" + n + ".log");
            if (Files.exists(log)) {
                lines.addAll(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
            }
        }
        return lines;
    }

    private static boolean logContains(String log, String text) {
        try {
            Path file = OUT.resolve(log);
            return Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean portOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A valid SSIN (born 1950-1989, so the check digits use the number itself). */
    private static String ssin(int p) {
        int year = 50 + p % 40;
        int month = 1 + (p / 40) % 12;
        int day = 1 + (p / 7) % 28;
        int counter = 1 + p % 997;
        String first9 = String.format("%02d%02d%02d%03d", year, month, day, counter);
        return first9 + String.format("%02d", 97 - Long.parseLong(first9) % 97);
    }

    private static void awaitOrFail(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
