package be.recordbroker.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code record-broker.identity.*}: how callers prove who they are (README "Who is calling"). */
@ConfigurationProperties("record-broker.identity")
public class IdentityProperties {

    /** REST/FHIR bearer tokens are verified against this JWK set (a path-only URL is this server). */
    private String jwksUrl;
    /** Required {@code iss} of bearer tokens; empty accepts any issuer the key set signs for. */
    private String issuer;
    /**
     * How long a verified bearer token is remembered (never past its {@code exp}); a key withdrawn from the key set
     * still admits the tokens it signed for at most this long. 0 verifies every request.
     */
    private Duration verifiedTokenCacheTtl = Duration.ofMinutes(1);
    /** Software allowed to call the SOAP face (HTTP Basic over TLS); their requests' author/hcparty is trusted. */
    private List<SoapCaller> soapCallers = new ArrayList<>();

    public static class SoapCaller {
        private String name;
        /** SHA-256 (hex) of the caller's secret: the configuration never holds the secret itself. */
        private String secretSha256;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getSecretSha256() { return secretSha256; }
        public void setSecretSha256(String secretSha256) { this.secretSha256 = secretSha256; }
    }

    public String getJwksUrl() { return jwksUrl; }
    public void setJwksUrl(String jwksUrl) { this.jwksUrl = jwksUrl; }
    public String getIssuer() { return issuer; }
    public void setIssuer(String issuer) { this.issuer = issuer; }
    public Duration getVerifiedTokenCacheTtl() { return verifiedTokenCacheTtl; }
    public void setVerifiedTokenCacheTtl(Duration verifiedTokenCacheTtl) { this.verifiedTokenCacheTtl = verifiedTokenCacheTtl; }
    public List<SoapCaller> getSoapCallers() { return soapCallers; }
    public void setSoapCallers(List<SoapCaller> soapCallers) { this.soapCallers = soapCallers; }
}
