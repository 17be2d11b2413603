package be.recordbroker.ops;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rb.tls.certificate.expiry{store,alias}} (Prometheus {@code rb_tls_certificate_expiry_seconds}): seconds
 * until each certificate of the broker's key material expires (negative once expired), read from the PKCS12 stores
 * the MLLP listener and the SOAP/HTTPS face are configured with. One series per configured store entry: a handful,
 * named by the operator. Spring Boot's own {@code ssl.chain.expiry} covers SSL bundles only, and neither store is one.
 */
public final class CertificateExpiryMeters implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiryMeters.class);

    /** A store to watch: its tag, file, password (null: none configured) and type. */
    public record Store(String name, String file, String password, String type) {
    }

    private final List<Store> stores;
    private final Clock clock;

    public CertificateExpiryMeters(List<Store> stores, Clock clock) {
        this.stores = List.copyOf(stores);
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Store store : stores) {
            for (var entry : certificates(store)) {
                X509Certificate certificate = entry.certificate();
                Gauge.builder("rb.tls.certificate.expiry",
                                () -> certificate.getNotAfter().toInstant().getEpochSecond() - clock.instant().getEpochSecond())
                        .description("seconds until this certificate of the broker's key material expires")
                        .baseUnit("seconds").tag("store", store.name()).tag("alias", entry.alias())
                        .strongReference(true).register(registry);
            }
        }
    }

    private record Entry(String alias, X509Certificate certificate) {
    }

    private static List<Entry> certificates(Store store) {
        if (store.file() == null || store.file().isBlank()) {
            return List.of();
        }
        String file = store.file().startsWith("file:") ? store.file().substring("file:".length()) : store.file();
        List<Entry> found = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore keys = KeyStore.getInstance(store.type() == null || store.type().isBlank() ? "PKCS12" : store.type());
            keys.load(in, store.password() == null ? null : store.password().toCharArray());
            for (String alias : Collections.list(keys.aliases())) {
                Certificate[] chain = keys.getCertificateChain(alias);
                Certificate first = chain != null && chain.length > 0 ? chain[0] : keys.getCertificate(alias);
                if (first instanceof X509Certificate x509) {
                    found.add(new Entry(alias, x509));
                }
            }
        } catch (Exception e) {
            // the listener or server that uses the store fails its start on this; the metric only reports
            LOG.warn("certificate expiry: store {} could not be read ({})", store.name(), e.getClass().getSimpleName());
        }
        return found;
    }
}
