package be.recordbroker.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code record-broker.mllp.*}: how hospitals are let onto the MLLP listeners. In production every listener speaks
 * TLS and requires a client certificate ({@link Tls}); {@code plaintext=true} (the sandbox) turns TLS off for every
 * listener, with a warning at start-up. The guards keep one peer's idle sockets from using up the listener's
 * connections. See docs/security/mllp.md.
 */
@ConfigurationProperties(prefix = "record-broker.mllp")
public class MllpProperties {

    /** Plain TCP instead of TLS with client certificates: only for the sandbox or a listener on a trusted link. */
    private boolean plaintext = false;
    private Tls tls = new Tls();
    /** A connection that has not delivered one complete MLLP frame this long after it was accepted is closed. */
    private Duration firstFrameTimeout = Duration.ofSeconds(10);
    /** Concurrent connections from one peer (remote IP address), per listener; further ones are closed at once. */
    private int maxConnectionsPerPeer = 16;

    /** The listener's key pair and the CAs its hospitals' client certificates are checked against (PKCS12 files). */
    public static class Tls {
        /** PKCS12 file with the listener's private key and certificate chain. */
        private String keyStore;
        private String keyStorePassword;
        /** PKCS12 file with the CA certificates (or the hospitals' own certificates) trusted for client auth. */
        private String trustStore;
        private String trustStorePassword;
        /** TLS versions offered. */
        private String protocols = "TLSv1.3,TLSv1.2";

        public String getKeyStore() { return keyStore; }
        public void setKeyStore(String keyStore) { this.keyStore = keyStore; }
        public String getKeyStorePassword() { return keyStorePassword; }
        public void setKeyStorePassword(String keyStorePassword) { this.keyStorePassword = keyStorePassword; }
        public String getTrustStore() { return trustStore; }
        public void setTrustStore(String trustStore) { this.trustStore = trustStore; }
        public String getTrustStorePassword() { return trustStorePassword; }
        public void setTrustStorePassword(String trustStorePassword) { this.trustStorePassword = trustStorePassword; }
        public String getProtocols() { return protocols; }
        public void setProtocols(String protocols) { this.protocols = protocols; }
    }

    public boolean isPlaintext() { return plaintext; }
    public void setPlaintext(boolean plaintext) { this.plaintext = plaintext; }
    public Tls getTls() { return tls; }
    public void setTls(Tls tls) { this.tls = tls; }
    public Duration getFirstFrameTimeout() { return firstFrameTimeout; }
    public void setFirstFrameTimeout(Duration firstFrameTimeout) { this.firstFrameTimeout = firstFrameTimeout; }
    public int getMaxConnectionsPerPeer() { return maxConnectionsPerPeer; }
    public void setMaxConnectionsPerPeer(int maxConnectionsPerPeer) { this.maxConnectionsPerPeer = maxConnectionsPerPeer; }
}
