package be.recordbroker.prod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import be.recordbroker.TestIo;

/**
 * The Artemis HA pair of the prod deployment (issue 14), for real: both nodes started by the image's own entrypoint
 * (docker/artemis/entrypoint.sh) from the distribution the build unpacks, a JMS client on the HA URL the brokers use
 * sending persistent messages with duplicate ids (as the MLLP listener does), the primary SIGKILLed mid-stream. Then:
 * the client reconnects to the backup by itself, every message whose send returned is there exactly once and in
 * order, and the failover time — from the SIGKILL to the first send acknowledged again — is printed and written to
 * {@code target/artemis-failover.txt}.
 */
class ArtemisPairFailoverIT {

    private static final int PRIMARY_PORT = 61618;
    private static final int BACKUP_PORT = 61619;
    private static final String USER = "rb-failover";
    private static final String PASSWORD = "rb-failover-test";
    private static final String QUEUE = "rb.failover.test";

    private final List<Process> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        for (Process node : nodes) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
    }

    @Test
    void theBackupTakesOverAfterTheLivePrimaryIsKilledAndNoAcknowledgedMessageIsLostOrDoubled() throws Exception {
        Path home = Path.of(System.getProperty("artemis.home", "target/artemis-dist/apache-artemis-2.44.0"))
                .toAbsolutePath();
        assumeTrue(Files.isExecutable(home.resolve("bin/artemis")), "no Artemis distribution (run through ./mvnw)");
        assumeTrue(!open(PRIMARY_PORT) && !open(BACKUP_PORT), "ports " + PRIMARY_PORT + "/" + BACKUP_PORT + " taken");
        Path work = Path.of("target/artemis-pair").toAbsolutePath();
        TestIo.deleteTree(work);
        Files.createDirectories(work);

        Process primary = start(home, work, "primary", PRIMARY_PORT, BACKUP_PORT);
        await(() -> open(PRIMARY_PORT), Duration.ofSeconds(90), "the primary to listen", work.resolve("primary.log"));
        start(home, work, "backup", BACKUP_PORT, PRIMARY_PORT);
        // AMQ221024: the backup holds a full copy of the primary's journal
        await(() -> Files.readString(work.resolve("backup.log")).contains("AMQ221024"), Duration.ofSeconds(90),
                "the backup to synchronize", work.resolve("backup.log"));

        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("(tcp://127.0.0.1:" + PRIMARY_PORT
                + ",tcp://127.0.0.1:" + BACKUP_PORT + ")?ha=true&reconnectAttempts=-1&retryInterval=100"
                + "&retryIntervalMultiplier=1.5&maxRetryInterval=2000&callTimeout=5000", USER, PASSWORD);
        List<Integer> acknowledged = new ArrayList<>();
        Instant killedAt = null;
        Instant firstAfterKill = null;
        int failedSends = 0;
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(QUEUE);
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            int next = 1;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (acknowledged.size() < 600 && Instant.now().isBefore(deadline)) {
                if (killedAt == null && acknowledged.size() == 300) {
                    killedAt = Instant.now();
                    primary.descendants().forEach(ProcessHandle::destroyForcibly);
                    primary.destroyForcibly(); // SIGKILL: no shutdown, no goodbye to the backup
                }
                TextMessage message = session.createTextMessage(Integer.toString(next));
                // what the MLLP listener does: a resend after an unsure failover is dropped by the broker
                message.setStringProperty(Message.HDR_DUPLICATE_DETECTION_ID.toString(), "failover-" + next);
                try {
                    producer.send(message);
                    acknowledged.add(next);
                    if (killedAt != null && firstAfterKill == null) {
                        firstAfterKill = Instant.now();
                    }
                    next++;
                } catch (JMSException unsure) {
                    failedSends++; // the same message again: sent once, or dropped as a duplicate
                    Thread.sleep(50);
                }
            }
            assertThat(killedAt).as("the primary was killed mid-stream").isNotNull();
            assertThat(firstAfterKill).as("a send acknowledged after the kill (by the backup)").isNotNull();

            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            List<Integer> received = new ArrayList<>();
            for (TextMessage m; (m = (TextMessage) consumer.receive(5_000)) != null; ) {
                received.add(Integer.parseInt(m.getText()));
            }
            assertThat(received).as("every acknowledged message once, in order").isEqualTo(acknowledged);
        }
        Duration failover = Duration.between(killedAt, firstAfterKill);
        String report = String.format(Locale.ROOT, "Artemis pair failover: SIGKILL of the live primary to the first"
                        + " send acknowledged by the backup %d ms; %d messages acknowledged, %d sends answered with an"
                        + " error during the failover and repeated; %d CPUs%n", failover.toMillis(), acknowledged.size(),
                failedSends, Runtime.getRuntime().availableProcessors());
        System.out.print(report);
        Files.writeString(Path.of("target/artemis-failover.txt"), report);
        // AMQ221007: the backup, now active, serves what the primary acknowledged
        assertThat(Files.readString(work.resolve("backup.log"))).contains("AMQ221007");
    }

    private Process start(Path home, Path work, String role, int port, int peerPort) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("ARTEMIS_HOME", home.toString());
        env.put("ARTEMIS_INSTANCE", work.resolve(role).toString());
        env.put("ARTEMIS_ROLE", role);
        env.put("ARTEMIS_HOST", "127.0.0.1");
        env.put("ARTEMIS_PORT", Integer.toString(port));
        env.put("ARTEMIS_PEER", "127.0.0.1");
        env.put("ARTEMIS_PEER_PORT", Integer.toString(peerPort));
        env.put("ARTEMIS_USER", USER);
        env.put("ARTEMIS_PASSWORD", PASSWORD);
        env.put("ARTEMIS_CLUSTER_USER", "rb-cluster");
        env.put("ARTEMIS_CLUSTER_PASSWORD", "rb-cluster-test");
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("docker/artemis/entrypoint.sh").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(work.resolve(role + ".log").toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        nodes.add(process);
        return process;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, Duration within, String what, Path log) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + "; see " + log);
            }
            Thread.sleep(200);
        }
    }

    private static boolean open(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
