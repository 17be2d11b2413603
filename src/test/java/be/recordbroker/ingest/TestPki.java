package be.recordbroker.ingest;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and the certificates it issues, made with Bouncy Castle for the MLLP TLS tests. */
final class TestPki {

    static final String PASSWORD = "test-secret";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate chain (leaf first). */
    record Identity(KeyPair keys, X509Certificate[] chain) {
    }

    private final Identity ca;

    TestPki(String caDn) throws Exception {
        KeyPair keys = ecKeys();
        X509Certificate cert = sign(new X500Principal(caDn), keys, new X500Principal(caDn), keys, true);
        this.ca = new Identity(keys, new X509Certificate[] {cert});
    }

    Identity issue(String subjectDn) throws Exception {
        KeyPair keys = ecKeys();
        X509Certificate cert = sign(new X500Principal(subjectDn), keys, ca.chain()[0].getSubjectX500Principal(),
                ca.keys(), false);
        return new Identity(keys, new X509Certificate[] {cert, ca.chain()[0]});
    }

    /** A PKCS12 file with the identity's key and chain. */
    Path keyStore(Identity identity, Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", identity.keys().getPrivate(), PASSWORD.toCharArray(), identity.chain());
        return write(store, file);
    }

    /** A PKCS12 file trusting this CA. */
    Path trustStore(Path file) throws Exception {
        return write(trustStore(), file);
    }

    /** A client context presenting {@code identity} (null: no certificate) and trusting this CA. */
    SSLContext clientContext(Identity identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (identity != null) {
            keys.setKeyEntry("key", identity.keys().getPrivate(), PASSWORD.toCharArray(), identity.chain());
        }
        kmf.init(keys, PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private KeyStore trustStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca.chain()[0]);
        return store;
    }

    private static Path write(KeyStore store, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X500Principal subject, KeyPair subjectKeys, X500Principal issuer,
                                        KeyPair issuerKeys, boolean isCa) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(2, ChronoUnit.DAYS)), subject, subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        builder.addExtension(Extension.keyUsage, true, isCa
                ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
