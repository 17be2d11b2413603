package be.recordbroker.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/** {@code record-broker.sandbox.*}: the simulated network's seed, MLLP target and demo-token settings. */
@ConfigurationProperties(prefix = "record-broker.sandbox")
public class SandboxProperties {

    private Resource seed;
    private String mllpHost = "127.0.0.1";
    private int mllpPort = 2575;
    private Token token = new Token();
    /** When set, every DeclareTransaction a sandbox hub accepts is appended to this file (hub TAB localId). */
    private java.nio.file.Path declarationLog;

    public Resource getSeed() { return seed; }
    public void setSeed(Resource seed) { this.seed = seed; }
    public String getMllpHost() { return mllpHost; }
    public void setMllpHost(String mllpHost) { this.mllpHost = mllpHost; }
    public int getMllpPort() { return mllpPort; }
    public void setMllpPort(int mllpPort) { this.mllpPort = mllpPort; }
    public java.nio.file.Path getDeclarationLog() { return declarationLog; }
    public void setDeclarationLog(java.nio.file.Path declarationLog) { this.declarationLog = declarationLog; }
    public Token getToken() { return token; }
    public void setToken(Token token) { this.token = token; }

    public static class Token {
        private String issuer = "record-broker-sandbox";
        private Duration ttl = Duration.ofHours(8);

        public String getIssuer() { return issuer; }
        public void setIssuer(String issuer) { this.issuer = issuer; }
        public Duration getTtl() { return ttl; }
        public void setTtl(Duration ttl) { this.ttl = ttl; }
    }
}
