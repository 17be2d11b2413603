package be.recordbroker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

import be.recordbroker.ops.CertificateExpiryMeters;
import be.recordbroker.ops.CertificateExpiryMeters.Store;

/** rb_tls_certificate_expiry_seconds from real PKCS12 stores (the MLLP TLS tests' throw-away CA). */
class CertificateExpiryMetersTest {

    @Test
    void secondsUntilEachCertificateOfEachStoreExpires() throws Exception {
        TestPki pki = new TestPki("CN=Expiry Test CA");
        TestPki.Identity broker = pki.issue("CN=broker");
        Path dir = Path.of("target", "cert-expiry-test");
        Path keys = pki.keyStore(broker, dir.resolve("keys.p12"));
        Path trust = pki.trustStore(dir.resolve("trust.p12"));
        Instant notAfter = broker.chain()[0].getNotAfter().toInstant();
        Instant now = notAfter.minusSeconds(13 * 86_400 + 5); // 13 days and 5 s before the leaf expires

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new CertificateExpiryMeters(List.of(
                new Store("mllp-key", keys.toString(), TestPki.PASSWORD, "PKCS12"),
                new Store("mllp-trust", "file:" + trust, TestPki.PASSWORD, "PKCS12"),
                new Store("https-key", dir.resolve("absent.p12").toString(), "x", null),
                new Store("https-trust", null, null, null)),
                Clock.fixed(now, ZoneOffset.UTC)).bindTo(registry);

        Gauge leaf = registry.get("rb.tls.certificate.expiry").tag("store", "mllp-key").tag("alias", "key").gauge();
        assertThat(leaf.value()).isEqualTo(13 * 86_400 + 5);
        Gauge ca = registry.get("rb.tls.certificate.expiry").tag("store", "mllp-trust").tag("alias", "ca").gauge();
        assertThat(ca.value()).isEqualTo(pki.issue("CN=x").chain()[1].getNotAfter().toInstant().getEpochSecond()
                - now.getEpochSecond());
        // an unreadable or unset store gives no series (its listener fails its own start), never a made-up value
        assertThat(registry.find("rb.tls.certificate.expiry").gauges()).hasSize(2);
        assertThat(leaf.getId().getBaseUnit()).isEqualTo("seconds");
    }
}
