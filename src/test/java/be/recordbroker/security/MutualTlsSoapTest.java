package be.recordbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import be.recordbroker.TestSoap;
import be.recordbroker.TestIo;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.audit.JdbcAuditTrail;

/**
 * The SOAP face's callers by client certificate (issue 12): a TLS connector asking for client certificates
 * ({@code client-auth: want}, as {@code server.ssl} does in prod), certificates made here with Bouncy Castle under a
 * test CA. A registered caller's certificate is served and named in the audit row; an unknown certificate gets 401; a
 * caller speaking for someone outside its {@code speaks-for} gets a fault and an audit row naming it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"record-broker.data-dir=target/it-data-mtls", "record-broker.health.cache=0s",
                "record-broker.search.timeout=2s",
                "record-broker.identity.soap-callers[0].name=test-hub",
                "record-broker.identity.soap-callers[0].certificate-subject=CN=test-hub, O=Test Hub, C=BE",
                "record-broker.identity.soap-callers[0].speaks-for.any-professional=true",
                "record-broker.identity.soap-callers[1].name=nurses-app",
                "record-broker.identity.soap-callers[1].certificate-subject=C=BE,O=Care,CN=nurses-app",
                "record-broker.identity.soap-callers[1].speaks-for.professions=persnurse"})
@AutoConfigureObservability
@Import(MutualTlsSoapTest.TlsConnector.class)
class MutualTlsSoapTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final int MLLP_PORT = TestIo.freePort();
    private static final int LGE_MLLP_PORT = TestIo.freePort();
    private static final int TLS_PORT = TestIo.freePort();
    private static final Pki PKI = new Pki();
    private static final String ACTION = "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetPatientAuditTrail\"";

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) {
        registry.add("record-broker.mllp.port", () -> MLLP_PORT);
        registry.add("record-broker.sites.sandbox-lge.mllp-port", () -> LGE_MLLP_PORT);
    }

    @Autowired
    JdbcAuditTrail trail;

    @Test
    void aRegisteredCallersCertificateIsServedAndNamedInTheAuditRow() throws Exception {
        String patient = freshPatient();

        HttpResponse<String> response = post(PKI.client("CN=test-hub,O=Test Hub,C=BE"), envelope(patient, "persphysician"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("GetPatientAuditTrailResponse");
        List<AuditEvent> rows = trail.forPatient(patient, 10, 0);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).client()).isEqualTo("test-hub");
        assertThat(rows.get(0).face()).isEqualTo("soap");
    }

    @Test
    void anUnknownCertificateIsRefusedWithoutAnAuditRow() throws Exception {
        String patient = freshPatient();

        HttpResponse<String> response = post(PKI.client("CN=stranger,O=Test Hub,C=BE"), envelope(patient, "persphysician"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Fault").contains("UNAUTHENTICATED");
        assertThat(trail.forPatient(patient, 10, 0)).isEmpty();
    }

    @Test
    void noCertificateIsRefused() throws Exception {
        HttpResponse<String> response = post(PKI.client(null), envelope(freshPatient(), "persphysician"));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void speakingForSomeoneOutsideTheAllowlistIsAFaultAndAudited() throws Exception {
        String patient = freshPatient();
        SSLContext nursesApp = PKI.client("CN=nurses-app,O=Care,C=BE");

        HttpResponse<String> refused = post(nursesApp, envelope(patient, "persphysician"));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(500);
        assertThat(refused.body()).contains("Fault").contains("CALLER_NOT_ALLOWED")
                .doesNotContain("GetPatientAuditTrailResponse");
        List<AuditEvent> rows = trail.forPatient(patient, 10, 0);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).reason()).isEqualTo("CALLER_NOT_ALLOWED");
        assertThat(rows.get(0).decision()).isEqualTo(AuditEvent.DENY);
        assertThat(rows.get(0).client()).isEqualTo("nurses-app");
        assertThat(rows.get(0).actorNihii()).isEqualTo("12345625004");

        HttpResponse<String> nurse = post(nursesApp, envelope(patient, "persnurse"));
        assertThat(nurse.statusCode()).as(nurse.body()).isEqualTo(200);
        assertThat(trail.forPatient(patient, 10, 0)).hasSize(2).allSatisfy(r -> assertThat(r.client()).isEqualTo("nurses-app"));
    }

    // ------------------------------------------------------------------ helpers

    private static HttpResponse<String> post(SSLContext tls, String envelope) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + TLS_PORT + "/services/intrahub/v3"))
                .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", ACTION)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String freshPatient() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        java.time.LocalDate birth = java.time.LocalDate.of(1930, 1, 1).plusDays(random.nextInt(365 * 69));
        String base = String.format("%02d%02d%02d%03d", birth.getYear() % 100, birth.getMonthValue(),
                birth.getDayOfMonth(), 1 + random.nextInt(997));
        return base + String.format("%02d", 97 - Long.parseLong(base) % 97);
    }

    private static String envelope(String patient, String profession) {
        return TestSoap.intraHubRequest("GetPatientAuditTrail", "12345625004." + System.nanoTime(), profession,
                TestSoap.patientSelect(patient));
    }

    /** A TLS connector asking for (not requiring) client certificates, beside the plain test port. */
    @TestConfiguration(proxyBeanMethods = false)
    static class TlsConnector {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> tlsConnector() {
            return factory -> {
                Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
                connector.setPort(TLS_PORT);
                connector.setScheme("https");
                connector.setSecure(true);
                connector.setProperty("SSLEnabled", "true");
                SSLHostConfig host = new SSLHostConfig();
                host.setCertificateVerification("optional");
                host.setTruststoreFile(PKI.trustStore.toString());
                host.setTruststorePassword(new String(PASSWORD));
                host.setTruststoreType("PKCS12");
                SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
                        SSLHostConfigCertificate.Type.UNDEFINED);
                certificate.setCertificateKeystoreFile(PKI.serverStore.toString());
                certificate.setCertificateKeystorePassword(new String(PASSWORD));
                certificate.setCertificateKeystoreType("PKCS12");
                host.addCertificate(certificate);
                connector.addSslHostConfig(host);
                factory.addAdditionalTomcatConnectors(connector);
            };
        }
    }

    /** A test CA, the server's key store and trust store (PKCS12 files), client TLS contexts. */
    static final class Pki {
        final KeyPair caKeys;
        final X509Certificate ca;
        final Path serverStore;
        final Path trustStore;

        Pki() {
            try {
                Path dir = Files.createTempDirectory("rb-mtls");
                caKeys = keys();
                ca = certificate("CN=Test CA,O=Test,C=BE", caKeys, "CN=Test CA,O=Test,C=BE", caKeys.getPrivate(), true);
                KeyPair serverKeys = keys();
                X509Certificate server = certificate("CN=localhost", serverKeys, "CN=Test CA,O=Test,C=BE",
                        caKeys.getPrivate(), false);
                serverStore = dir.resolve("server.p12");
                store(serverStore, keyStore(serverKeys.getPrivate(), server));
                trustStore = dir.resolve("trust.p12");
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", ca);
                store(trustStore, trust);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A client TLS context with a certificate for {@code subject} signed by the CA, or none. */
        SSLContext client(String subject) throws Exception {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (subject != null) {
                KeyPair clientKeys = keys();
                kmf.init(keyStore(clientKeys.getPrivate(), certificate(subject, clientKeys, "CN=Test CA,O=Test,C=BE",
                        caKeys.getPrivate(), false)), PASSWORD);
            } else {
                KeyStore empty = KeyStore.getInstance("PKCS12");
                empty.load(null, null);
                kmf.init(empty, PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        }

        private KeyStore keyStore(PrivateKey key, X509Certificate certificate) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, PASSWORD, new Certificate[] {certificate, ca});
            return store;
        }

        private static void store(Path file, KeyStore store) throws Exception {
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD);
            }
        }

        private static KeyPair keys() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        }

        private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
                                                   boolean authority) throws Exception {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
                    Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject),
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (!authority) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        }
    }
}
