package be.recordbroker.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code record-broker.identity.*}: how callers prove who they are (docs/security/security.md). */
@ConfigurationProperties("record-broker.identity")
public class IdentityProperties {

    /** REST/FHIR bearer tokens are verified against this JWK set (a path-only URL is this server). */
    private String jwksUrl;
    /** Required {@code iss} of bearer tokens (a token without it, or with another, is refused). */
    private String issuer;
    /** Required {@code aud} of bearer tokens: the token must name this broker among its audiences. */
    private String audience;
    /**
     * HTTP Basic ({@code secret-sha256}) for SOAP callers: always on in the sandbox profile, else only when set true.
     * Production callers present a client certificate (mutual TLS).
     */
    private boolean soapBasicAuth;
    /**
     * How long a verified bearer token is remembered (never past its {@code exp}); a key withdrawn from the key set
     * still admits the tokens it signed for at most this long. 0 verifies every request.
     */
    private Duration verifiedTokenCacheTtl = Duration.ofMinutes(1);
    /**
     * Software allowed to call the SOAP face (client certificate, or HTTP Basic in the sandbox); a request's
     * author/hcparty is believed only within the caller's {@code speaks-for} allowlist.
     */
    private List<SoapCaller> soapCallers = new ArrayList<>();

    public static class SoapCaller {
        private String name;
        /** The subject DN of the caller's client certificate (RFC 2253, compared as an X.500 name). */
        private String certificateSubject;
        /** SHA-256 (hex) of the caller's secret: the configuration never holds the secret itself. */
        private String secretSha256;
        /** Whom the caller may speak for; empty: nobody. */
        private SpeaksFor speaksFor = new SpeaksFor();

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getCertificateSubject() { return certificateSubject; }
        public void setCertificateSubject(String certificateSubject) { this.certificateSubject = certificateSubject; }
        public String getSecretSha256() { return secretSha256; }
        public void setSecretSha256(String secretSha256) { this.secretSha256 = secretSha256; }
        public SpeaksFor getSpeaksFor() { return speaksFor; }
        public void setSpeaksFor(SpeaksFor speaksFor) { this.speaksFor = speaksFor; }
    }

    /** A SOAP caller's allowlist: any rule that matches the request's author lets it through. */
    public static class SpeaksFor {
        /** A hub: any professional it vouches for (and citizens acting for themselves). */
        private boolean anyProfessional;
        /** Professionals of these professions (CD-HCPARTY, e.g. persphysician). */
        private List<String> professions = new ArrayList<>();
        /** A hospital's software: its own institution's staff (the author names this institution's NIHII). */
        private String institutionNihii;
        /** Citizens (SSIN) acting for themselves through this software. */
        private List<String> patients = new ArrayList<>();

        public boolean isAnyProfessional() { return anyProfessional; }
        public void setAnyProfessional(boolean anyProfessional) { this.anyProfessional = anyProfessional; }
        public List<String> getProfessions() { return professions; }
        public void setProfessions(List<String> professions) { this.professions = professions; }
        public String getInstitutionNihii() { return institutionNihii; }
        public void setInstitutionNihii(String institutionNihii) { this.institutionNihii = institutionNihii; }
        public List<String> getPatients() { return patients; }
        public void setPatients(List<String> patients) { this.patients = patients; }
    }

    public String getJwksUrl() { return jwksUrl; }
    public void setJwksUrl(String jwksUrl) { this.jwksUrl = jwksUrl; }
    public String getIssuer() { return issuer; }
    public void setIssuer(String issuer) { this.issuer = issuer; }
    public String getAudience() { return audience; }
    public void setAudience(String audience) { this.audience = audience; }
    public boolean isSoapBasicAuth() { return soapBasicAuth; }
    public void setSoapBasicAuth(boolean soapBasicAuth) { this.soapBasicAuth = soapBasicAuth; }
    public Duration getVerifiedTokenCacheTtl() { return verifiedTokenCacheTtl; }
    public void setVerifiedTokenCacheTtl(Duration verifiedTokenCacheTtl) { this.verifiedTokenCacheTtl = verifiedTokenCacheTtl; }
    public List<SoapCaller> getSoapCallers() { return soapCallers; }
    public void setSoapCallers(List<SoapCaller> soapCallers) { this.soapCallers = soapCallers; }
}
