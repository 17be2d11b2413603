package be.recordbroker.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import be.recordbroker.network.Network;

/**
 * The MLLP listeners' security (issue 12): TLS with a required client certificate unless
 * {@code record-broker.mllp.plaintext=true}, the peer guard, and the certificate-to-hospital trust. The component is
 * registered as {@code mllp}, so every {@code mllp://} listener (the shared one and routes/*.camel.yaml) gets them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MllpProperties.class)
class MllpSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MllpSecurityConfiguration.class);

    @Bean(destroyMethod = "close")
    PeerGuard mllpPeerGuard(MllpProperties properties, MeterRegistry meters) {
        return new PeerGuard(properties.getMaxConnectionsPerPeer(), properties.getFirstFrameTimeout(), meters);
    }

    /** Bean name "mllp": Camel takes a registry bean of a component's name before its own. */
    @Bean("mllp")
    GuardedMllpComponent mllp(MllpProperties properties, PeerGuard guard, Environment environment) {
        if (properties.isPlaintext()) {
            LOG.warn("""

                    ************************************************************************************************
                    *  MLLP IS PLAINTEXT (record-broker.mllp.plaintext=true): no TLS, no client certificates.       *
                    *  Any peer that reaches the port can send HL7 for any hospital (MSH-4 is not authenticated).  *
                    *  Only for the sandbox or a listener on a link that is already authenticated and encrypted.   *
                    ************************************************************************************************""");
            return new GuardedMllpComponent(null, guard, environment.acceptsProfiles(Profiles.of("prod")));
        }
        return new GuardedMllpComponent(tlsParameters(properties.getTls()), guard);
    }

    @Bean
    MllpTrust mllpTrust(MllpProperties properties, Network network, MeterRegistry meters) {
        return new MllpTrust(properties.isPlaintext(), network, meters);
    }

    /**
     * TLS 1.3/1.2, the listener's key pair, the trusted CAs, client authentication REQUIRED. The stores are read here,
     * so a missing file or a wrong password stops the start naming the property.
     */
    static SSLContextParameters tlsParameters(MllpProperties.Tls tls) {
        List<String> missing = new ArrayList<>();
        if (blank(tls.getKeyStore())) {
            missing.add("record-broker.mllp.tls.key-store");
        }
        if (tls.getKeyStorePassword() == null) {
            missing.add("record-broker.mllp.tls.key-store-password");
        }
        if (blank(tls.getTrustStore())) {
            missing.add("record-broker.mllp.tls.trust-store");
        }
        if (tls.getTrustStorePassword() == null) {
            missing.add("record-broker.mllp.tls.trust-store-password");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("MLLP runs over TLS with client certificates: set " + String.join(", ", missing)
                    + " (PKCS12 files; see docs/security/mllp.md), or record-broker.mllp.plaintext=true for the sandbox");
        }
        KeyStore keys = load(tls.getKeyStore(), tls.getKeyStorePassword(), "record-broker.mllp.tls.key-store");
        KeyStore trusted = load(tls.getTrustStore(), tls.getTrustStorePassword(), "record-broker.mllp.tls.trust-store");

        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setKeyStore(keys);
        keyStore.setPassword(tls.getKeyStorePassword());
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(tls.getKeyStorePassword());

        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setKeyStore(trusted);
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trustStore);

        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(ClientAuthentication.REQUIRE.name());
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(Arrays.stream(tls.getProtocols().split(",")).map(String::trim)
                .filter(p -> !p.isEmpty()).toList());

        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        parameters.setTrustManagers(trustManagers);
        parameters.setServerParameters(server);
        parameters.setSecureSocketProtocols(protocols);
        return parameters;
    }

    private static KeyStore load(String file, String password, String property) {
        Path path = Path.of(file.startsWith("file:") ? file.substring("file:".length()) : file);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(property + " = " + file + ": cannot be read as PKCS12 with the password given ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
