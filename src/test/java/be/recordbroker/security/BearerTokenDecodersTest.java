package be.recordbroker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import be.recordbroker.config.SecurityConfiguration;
import be.recordbroker.domain.NihiiValidation;

/** The REST face's token decoders: which algorithms, claims and keys are accepted, and the verified-token cache. */
class BearerTokenDecodersTest {

    private static final String ISSUER = "https://idp.example.be";
    private static final String AUDIENCE = "record-broker";

    private static RSAKey rsa;
    private static ECKey ec;
    private static RSAKey stranger;
    private static JwtDecoder decoder;

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa").generate();
        decoder = BearerTokenDecoders.verifying(new ImmutableJWKSet<SecurityContext>(
                new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK()))), ISSUER, AUDIENCE);
    }

    @Test
    void rs256AndEs256AreAccepted() throws Exception {
        Jwt byRsa = decoder.decode(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims()));
        Jwt byEc = decoder.decode(sign(JWSAlgorithm.ES256, "ec", new ECDSASigner(ec), claims()));

        assertThat(byRsa.getClaimAsString("nihii")).isEqualTo("12345625004");
        assertThat(byEc.getAudience()).containsExactly(AUDIENCE);
    }

    @Test
    void anAccessTokenTypeIsAccepted() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa")
                .type(new JOSEObjectType("at+jwt")).build(), claims().build());
        jwt.sign(new RSASSASigner(rsa));
        assertThat(decoder.decode(jwt.serialize()).getIssuer().toString()).isEqualTo(ISSUER);
    }

    @Test
    void otherAlgorithmsAreRefused() throws Exception {
        assertRefused(sign(JWSAlgorithm.HS256, "rsa", new MACSigner(new byte[32]), claims()));
        assertRefused(sign(JWSAlgorithm.PS256, "rsa", new RSASSASigner(rsa), claims()));
        assertRefused(sign(JWSAlgorithm.RS512, "rsa", new RSASSASigner(rsa), claims()));
        assertRefused(new PlainJWT(claims().build()).serialize());
    }

    @Test
    void aKeyOutsideTheSetIsRefused() throws Exception {
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(stranger), claims()));
    }

    @Test
    void issuerAudienceAndExpiryAreRequired() throws Exception {
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims().issuer(null)));
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims().issuer("https://other")));
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims().audience((String) null)));
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims().audience("other")));
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims().expirationTime(null)));
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa),
                claims().expirationTime(Date.from(Instant.now().minusSeconds(120)))));
        assertRefused(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa),
                claims().notBeforeTime(Date.from(Instant.now().plusSeconds(600)))));
    }

    @Test
    void oneOfSeveralAudiencesIsEnough() throws Exception {
        assertThat(decoder.decode(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa),
                claims().audience(java.util.List.of("fhir-gateway", AUDIENCE)))).getSubject()).isEqualTo("12345625004");
    }

    @Test
    void withoutAKeySetEveryTokenIsRefused() throws Exception {
        JwtDecoder refusing = BearerTokenDecoders.refusingAll("no key set");
        assertThatThrownBy(() -> refusing.decode(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims())))
                .isInstanceOf(JwtException.class);
    }

    @Test
    void theCacheRemembersAVerifiedTokenButNeverPastItsExpiry() throws Exception {
        AtomicInteger verified = new AtomicInteger();
        JwtDecoder counting = token -> {
            verified.incrementAndGet();
            return decoder.decode(token);
        };
        JwtDecoder cached = BearerTokenDecoders.caching(counting, Duration.ofMinutes(5));
        String lasting = sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims());
        cached.decode(lasting);
        cached.decode(lasting);
        assertThat(verified).hasValue(1);

        String brief = sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa),
                claims().expirationTime(Date.from(Instant.now().plusSeconds(1))));
        cached.decode(brief);
        Thread.sleep(1100);
        // past its exp: verified again (and refused by the timestamp validator's 30 s skew only after that)
        cached.decode(brief);
        assertThat(verified).hasValue(3);

        assertThatThrownBy(() -> cached.decode(sign(JWSAlgorithm.HS256, "rsa", new MACSigner(new byte[32]), claims())))
                .isInstanceOf(JwtException.class);
    }

    @Test
    void theClaimsBecomeTheCaller() throws Exception {
        CallerJwtConverter converter = new CallerJwtConverter(NihiiValidation.LENIENT);
        Jwt jwt = decoder.decode(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims().claim("azp", "his-1")));

        CallerAuthentication caller = (CallerAuthentication) converter.convert(jwt);

        assertThat(caller.caller().nihii().value()).isEqualTo("12345625004");
        assertThat(caller.caller().profession()).isEqualTo("persphysician");
        assertThat(caller.client()).isEqualTo("his-1");

        Jwt noName = decoder.decode(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims().claim("name", null)));
        assertThatThrownBy(() -> converter.convert(noName)).isInstanceOf(InvalidBearerTokenException.class);
        Jwt badSsin = decoder.decode(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa),
                claims().claim("profession", "patient").claim("ssin", "12345678901")));
        assertThatThrownBy(() -> converter.convert(badSsin)).isInstanceOf(InvalidBearerTokenException.class);
    }

    @Test
    void withoutAnIdentityProviderTheBrokerStartsAndRefusesTokensOutsideProdOnly() throws Exception {
        SecurityConfiguration configuration = new SecurityConfiguration();
        be.recordbroker.security.IdentityProperties identity = new be.recordbroker.security.IdentityProperties();
        identity.setJwksUrl("/sandbox/jwks.json");
        identity.setIssuer(ISSUER); // no audience
        be.recordbroker.network.LocalServerAddress addresses = new be.recordbroker.network.LocalServerAddress();
        org.springframework.mock.env.MockEnvironment sandbox = new org.springframework.mock.env.MockEnvironment();
        sandbox.setActiveProfiles("sandbox");

        JwtDecoder refusing = configuration.bearerTokenDecoder(identity, addresses, sandbox);
        assertThatThrownBy(() -> refusing.decode(sign(JWSAlgorithm.RS256, "rsa", new RSASSASigner(rsa), claims())))
                .isInstanceOf(JwtException.class);

        org.springframework.mock.env.MockEnvironment prod = new org.springframework.mock.env.MockEnvironment();
        prod.setActiveProfiles("prod");
        assertThatThrownBy(() -> configuration.bearerTokenDecoder(identity, addresses, prod))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("record-broker.identity.audience");
    }

    private static void assertRefused(String token) {
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("12345625004")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nihii", "12345625004").claim("profession", "persphysician").claim("name", "An Verstraeten");
    }

    private static String sign(JWSAlgorithm algorithm, String keyId, JWSSigner signer, JWTClaimsSet.Builder claims)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}
