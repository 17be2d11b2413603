package be.recordbroker.ingest;

import static be.recordbroker.ingest.Hl7TestMessages.a40;
import static be.recordbroker.ingest.Hl7TestMessages.adt;
import static be.recordbroker.ingest.Hl7TestMessages.controlId;
import static be.recordbroker.ingest.Hl7TestMessages.newSsin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;

import org.junit.jupiter.api.Test;

import be.recordbroker.TestIo;

/**
 * The production-shaped MLLP listener (issue 12): TLS with a required client certificate, MSH-4 bound to the
 * certificate's hospital, and one peer's idle sockets unable to lock the others out.
 */
class MllpTrustTest extends MllpTlsBrokerTest {

    @Test
    void aForgedA40OverPlaintextGetsNoAnswer() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", MLLP_PORT)) {
            plain.setSoTimeout(10_000);
            String control = controlId("PLAIN");
            // the attack: a real hospital's MSH-4, the sender's SSIN in PID-3, a victim's in MRG-1
            Throwable failure = catchThrowable(() ->
                    assertThat(exchange(plain, a40("SANDBOX-BRU", control, newSsin(), newSsin()))).isNull());
            // the listener ends the connection at the bad handshake: end of stream or a reset, never an ACK
            if (failure != null) {
                assertThat(failure).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aTlsClientWithoutCertificateGetsNoAnswer() throws Exception {
        String control = controlId("NOCERT");
        Throwable failure = catchThrowable(() -> {
            try (Socket socket = connect(null, "127.0.0.1")) {
                assertThat(exchange(socket, adt("SANDBOX-BRU", "A28", control, newSsin()))).isNull();
            }
        });
        if (failure != null) {
            assertThat(failure).isInstanceOf(IOException.class); // the handshake or the first read fails
        }
    }

    @Test
    void theCertificatesOwnHospitalIsAccepted() throws Exception {
        String control = controlId("OWN");
        String ack = send(BRU, adt("SANDBOX-BRU", "A28", control, newSsin()));
        assertThat(ack).contains("MSA|AA|" + control);
    }

    @Test
    void anotherHospitalsMsh4OnThisCertificateIsRefusedArAndCounted() throws Exception {
        double before = refused("SANDBOX-BRU", MllpTrust.FACILITY_MISMATCH);
        String control = controlId("FORGED");

        String ack = send(BRU, adt("SANDBOX-GNT", "A28", control, newSsin()));

        assertThat(msa1(ack)).isEqualTo("AR");
        assertThat(ack).contains("MSA|AR|" + control).contains("ERR|").contains("204")
                .contains("MSH-4 is not a hospital of this connection's client certificate");
        assertThat(refused("SANDBOX-BRU", MllpTrust.FACILITY_MISMATCH)).isEqualTo(before + 1);
    }

    @Test
    void aTrustedCertificateThatNamesNoHospitalIsRefused() throws Exception {
        double before = refused("unknown", MllpTrust.UNKNOWN_CERTIFICATE);
        String control = controlId("STRANGER");

        String ack = send(STRANGER, adt("SANDBOX-BRU", "A28", control, newSsin()));

        assertThat(ack).contains("MSA|AR|" + control).contains("ERR|");
        assertThat(refused("unknown", MllpTrust.UNKNOWN_CERTIFICATE)).isEqualTo(before + 1);
    }

    @Test
    void onePeersIdleSocketsDoNotLockTheOtherHospitalsOut() throws Exception {
        // 8 connections in all (record-broker.ingest.max-connections): without the guard these 8 silent sockets
        // from one address would take every one of them until the idle timeout (minutes)
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0.0.3", 0));
                s.connect(new InetSocketAddress("127.0.0.1", MLLP_PORT), 5000);
                idle.add(s);
            }
            Thread.sleep(1000); // past camel-mllp's 500 ms first look: the silent sockets have reached the guard

            // another hospital, from another address, still gets its answer at once
            String control = controlId("OTHER");
            long started = System.nanoTime();
            try (Socket other = connect(GNT, "127.0.0.2")) {
                assertThat(exchange(other, adt("SANDBOX-GNT", "A28", control, newSsin())))
                        .contains("MSA|AA|" + control);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

            // no more than 4 were kept (max-connections-per-peer); the rest were closed at once
            Counter overLimit = meters.find("rb.mllp.connections.dropped").tag("reason", "peer-limit").counter();
            assertThat(overLimit).isNotNull();
            assertThat(overLimit.count()).isGreaterThanOrEqualTo(4);

            // and those kept are closed when no frame came within the first-frame timeout (2 s here)
            for (Socket s : idle) {
                s.setSoTimeout(10_000);
                assertThat(closedByPeer(s.getInputStream())).isTrue();
            }
            Counter silent = meters.find("rb.mllp.connections.dropped").tag("reason", "first-frame-timeout").counter();
            assertThat(silent).isNotNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> silent.count() >= 4);
        } finally {
            idle.forEach(TestIo::closeQuietly);
        }
    }

    /** True when the listener ends the connection (a TLS alert may come first); false on a read timeout. */
    private static boolean closedByPeer(InputStream in) {
        try {
            byte[] buffer = new byte[256];
            while (in.read(buffer) != -1) {
                // the listener's TLS alert, if any
            }
            return true;
        } catch (SocketException reset) {
            return true;
        } catch (IOException timeout) {
            return false;
        }
    }
}
