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
