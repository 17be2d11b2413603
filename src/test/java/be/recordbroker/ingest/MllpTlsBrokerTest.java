package be.recordbroker.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import be.recordbroker.TestIo;

/**
 * The whole broker with its MLLP listeners as in production: TLS, client certificate required, each hospital named
 * by its certificate (src/test/resources/network/trust-network.yaml), the peer guard tightened so the tests are quick
 * (first frame within 2 s, 4 connections per peer, 8 in all). The certificates are made at start by {@link TestPki}.
 * Subclasses share this one context (its own data directory: it runs beside the sandbox tests' context).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"record-broker.data-dir=target/mllp-trust-it-data",
                "record-broker.network-file=src/test/resources/network/trust-network.yaml",
                "record-broker.mllp.plaintext=false",
                "record-broker.mllp.first-frame-timeout=2s",
                "record-broker.mllp.max-connections-per-peer=4",
                "record-broker.ingest.max-connections=8",
                "record-broker.ingest.redelivery.initial-delay=200ms",
                "record-broker.ingest.redelivery.max-delay=1s",
                "record-broker.ingest.redelivery.max-attempts=2"})
@AutoConfigureObservability
abstract class MllpTlsBrokerTest {

    static final int MLLP_PORT = TestIo.freePort();
    static final String BRU = "CN=his.sandbox-bru.test,O=Sandbox Hospital Brussels,C=BE";
    static final String GNT = "CN=his.sandbox-gnt.test,O=Sandbox Hospital Ghent,C=BE";
    static final String RSB2 = "CN=his.trust-rsb2.test,O=Trust Test Hospital,C=BE";
    static final String STRANGER = "CN=his.not-in-the-network.test,O=Nobody,C=BE";
    static final TestPki PKI;
    static final Map<String, TestPki.Identity> HOSPITALS;
    private static final Path DIR = Path.of("target/mllp-trust-pki");

    static {
        try {
            PKI = new TestPki("CN=Test Hospital CA,O=record-broker tests,C=BE");
            HOSPITALS = Map.of(BRU, PKI.issue(BRU), GNT, PKI.issue(GNT), RSB2, PKI.issue(RSB2),
                    STRANGER, PKI.issue(STRANGER));
            PKI.keyStore(PKI.issue("CN=record-broker.test,O=record-broker,C=BE"), DIR.resolve("listener.p12"));
            PKI.trustStore(DIR.resolve("trusted-cas.p12"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        registry.add("record-broker.mllp.port", () -> MLLP_PORT);
        registry.add("record-broker.sites.sandbox-lge.mllp-port", TestIo::freePort);
        registry.add("record-broker.mllp.tls.key-store", () -> DIR.resolve("listener.p12").toString());
        registry.add("record-broker.mllp.tls.key-store-password", () -> TestPki.PASSWORD);
        registry.add("record-broker.mllp.tls.trust-store", () -> DIR.resolve("trusted-cas.p12").toString());
        registry.add("record-broker.mllp.tls.trust-store-password", () -> TestPki.PASSWORD);
    }

    @Autowired
    MeterRegistry meters;

    /** A TLS connection presenting {@code subject}'s certificate, from {@code localAddress}. */
    static SSLSocket connect(String subject, String localAddress) throws Exception {
        Socket tcp = new Socket();
        tcp.bind(new InetSocketAddress(localAddress, 0));
        tcp.connect(new InetSocketAddress("127.0.0.1", MLLP_PORT), 5000);
        SSLSocket tls = (SSLSocket) PKI.clientContext(subject == null ? null : HOSPITALS.get(subject))
                .getSocketFactory().createSocket(tcp, "127.0.0.1", MLLP_PORT, true);
        tls.setUseClientMode(true);
        tls.setSoTimeout(15_000);
        return tls;
    }

    /** Sends one message over a new TLS connection with {@code subject}'s certificate and returns the ACK. */
    static String send(String subject, String er7) throws Exception {
        try (Socket socket = connect(subject, "127.0.0.1")) {
            return exchange(socket, er7);
        }
    }

    /** One MLLP frame out, one in (null when the connection ends first). */
    static String exchange(Socket socket, String er7) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(0x0b);
        out.write(er7.getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[] {0x1c, 0x0d});
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == 0x1c) {
                return ack.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != 0x0b) {
                ack.write(b);
            }
        }
        return null;
    }

    double refused(String hospital, String reason) {
        Counter counter = meters.find("rb.hl7.refused").tag("hospital", hospital).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    static String msa1(String ack) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith("MSA|")) {
                return segment.split("\\|")[1];
            }
        }
        return null;
    }
}
