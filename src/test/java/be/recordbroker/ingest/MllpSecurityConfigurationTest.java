package be.recordbroker.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;

/** Without its TLS material the MLLP listener does not start, and says which setting is missing. */
class MllpSecurityConfigurationTest {

    @Test
    void missingTlsSettingsAreNamedAtStartUp() {
        MllpProperties.Tls tls = new MllpProperties.Tls();
        tls.setKeyStore("target/no-such-dir/mllp.p12"); // a relative path that does not exist

        assertThatThrownBy(() -> MllpSecurityConfiguration.tlsParameters(tls))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("record-broker.mllp.tls.key-store-password")
                .hasMessageContaining("record-broker.mllp.tls.trust-store,")
                .hasMessageContaining("record-broker.mllp.tls.trust-store-password")
                .hasMessageContaining("record-broker.mllp.plaintext=true")
                .hasMessageNotContaining("record-broker.mllp.tls.key-store,");
    }

    /**
     * In the prod profile a listener without TLS binds loopback only, whoever declares it (the broker's own listener
     * or a site's in routes/*.camel.yaml): every MLLP endpoint is made by this component.
     */
    @Test
    void inProdAPlaintextListenerBeyondLoopbackIsRefused() throws Exception {
        try (PeerGuard guard = new PeerGuard(4, java.time.Duration.ofSeconds(5),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
             org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            GuardedMllpComponent prod = new GuardedMllpComponent(null, guard, true);
            camel.addComponent("mllp", prod);

            assertThatThrownBy(() -> camel.getEndpoint("mllp://0.0.0.0:2575"))
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .hasRootCauseMessage("MLLP listener 0.0.0.0:2575 has no TLS (record-broker.mllp.plaintext=true) and"
                            + " binds beyond loopback: in the prod profile a plaintext listener binds 127.0.0.1"
                            + " (record-broker.mllp.bind-address), behind a TLS-terminating proxy on the same host, as"
                            + " plaintext MLLP authenticates no hospital");
            assertThatThrownBy(() -> camel.getEndpoint("mllp://2576")).hasRootCauseInstanceOf(IllegalArgumentException.class);
            assertThat(camel.getEndpoint("mllp://127.0.0.1:2577")).isNotNull();

            camel.addComponent("mllp-anywhere", new GuardedMllpComponent(null, guard, false));
            assertThat(camel.getEndpoint("mllp-anywhere://0.0.0.0:2578")).as("outside prod (the sandbox)").isNotNull();
        }
    }

    /** The component the configuration makes is held to loopback with plaintext in the prod profile only. */
    @Test
    void theProdProfileHoldsThePlaintextComponentToLoopback() throws Exception {
        MllpProperties plaintext = new MllpProperties();
        plaintext.setPlaintext(true);
        try (PeerGuard guard = new PeerGuard(4, java.time.Duration.ofSeconds(5),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
             org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            org.springframework.mock.env.MockEnvironment prod = new org.springframework.mock.env.MockEnvironment();
            prod.setActiveProfiles("prod");
            camel.addComponent("mllp", new MllpSecurityConfiguration().mllp(plaintext, guard, prod));
            assertThatThrownBy(() -> camel.getEndpoint("mllp://0.0.0.0:2575"))
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);

            org.springframework.mock.env.MockEnvironment sandbox = new org.springframework.mock.env.MockEnvironment();
            sandbox.setActiveProfiles("sandbox");
            camel.addComponent("mllp-sandbox", new MllpSecurityConfiguration().mllp(plaintext, guard, sandbox));
            assertThat(camel.getEndpoint("mllp-sandbox://0.0.0.0:2576")).isNotNull();
        }
    }

    @Test
    void aStoreThatCannotBeReadIsNamedWithItsProperty() throws Exception {
        TestPki pki = new TestPki("CN=Unit CA,C=BE");
        Path dir = Path.of("target/mllp-security-unit");
        MllpProperties.Tls tls = new MllpProperties.Tls();
        tls.setKeyStore(pki.keyStore(pki.issue("CN=listener,C=BE"), dir.resolve("listener.p12")).toString());
        tls.setKeyStorePassword("wrong");
        tls.setTrustStore(pki.trustStore(dir.resolve("cas.p12")).toString());
        tls.setTrustStorePassword(TestPki.PASSWORD);

        assertThatThrownBy(() -> MllpSecurityConfiguration.tlsParameters(tls))
                .hasMessageStartingWith("record-broker.mllp.tls.key-store = ");

        tls.setKeyStorePassword(TestPki.PASSWORD);
        SSLContextParameters parameters = MllpSecurityConfiguration.tlsParameters(tls);
        assertThat(parameters.getServerParameters().getClientAuthentication()).isEqualTo("REQUIRE");
        assertThat(parameters.getSecureSocketProtocols().getSecureSocketProtocol()).containsExactly("TLSv1.3", "TLSv1.2");
    }
}
