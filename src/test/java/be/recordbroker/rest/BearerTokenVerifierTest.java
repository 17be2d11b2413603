package be.recordbroker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;

/** Bearer tokens: who they name, what is refused, and the verified-token cache. */
class BearerTokenVerifierTest {

    static final String GP = "12345625004";
    static RSAKey key;

    /** The key set, counting lookups: Nimbus asks it once per signature it checks. */
    final AtomicInteger keyLookups = new AtomicInteger();
    final JWKSource<SecurityContext> keys = (JWKSelector selector, SecurityContext context) -> {
        keyLookups.incrementAndGet();
        return selector.select(new JWKSet((JWK) key.toPublicJWK()));
    };

    @BeforeAll
    static void generateKey() throws Exception {
        key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID("test-key").generate();
    }

    @Test
    void aTokenNamesTheProfessional() throws Exception {
        BearerTokenVerifier verifier = verifier(Duration.ofMinutes(1));
        Professional gp = verifier.verify("Bearer " + token(GP, Instant.now().plusSeconds(600)));
        assertThat(gp.nihii().value()).isEqualTo(GP);
        assertThat(gp.profession()).isEqualTo("persphysician");
        assertThat(gp.name()).isEqualTo("An Verstraeten");
    }

    @Test
    void theSameTokenIsVerifiedOnceWhileCachedAndEachNewTokenAgain() throws Exception {
        BearerTokenVerifier verifier = verifier(Duration.ofMinutes(1));
        String first = token(GP, Instant.now().plusSeconds(600));
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify("Bearer " + first).nihii().value()).isEqualTo(GP);
        }
        assertThat(keyLookups).hasValue(1);
        verifier.verify("Bearer " + token("10000001010", Instant.now().plusSeconds(600)));
        assertThat(keyLookups).hasValue(2);
    }

    @Test
    void aTamperedCopyOfACachedTokenIsStillRefused() throws Exception {
        BearerTokenVerifier verifier = verifier(Duration.ofMinutes(1));
        String good = token(GP, Instant.now().plusSeconds(600));
        verifier.verify("Bearer " + good);
        String[] parts = good.split("\\.");
        String forged = parts[0] + "." + token("10000001010", Instant.now().plusSeconds(600)).split("\\.")[1] + "."
                + parts[2];
        assertThatThrownBy(() -> verifier.verify("Bearer " + forged))
                .isInstanceOf(BearerTokenVerifier.UnauthenticatedException.class)
                .hasMessageContaining("refused");
    }

    @Test
    void aCachedTokenIsRefusedOnceItHasExpired() throws Exception {
        BearerTokenVerifier verifier = verifier(Duration.ofMinutes(1));
        // exp two seconds ahead; Nimbus itself allows 60 s of clock skew, the cache never serves past exp
        String shortLived = token(GP, Instant.now().plusSeconds(2));
        verifier.verify("Bearer " + shortLived);
        verifier.verify("Bearer " + shortLived);
        assertThat(keyLookups).hasValue(1);
        Thread.sleep(2_100);
        verifier.verify("Bearer " + shortLived); // verified afresh (within Nimbus' skew), not served from the cache
        assertThat(keyLookups).hasValue(2);
    }

    @Test
    void aZeroTtlVerifiesEveryRequest() throws Exception {
        BearerTokenVerifier verifier = verifier(Duration.ZERO);
        String token = token(GP, Instant.now().plusSeconds(600));
        for (int i = 0; i < 3; i++) {
            verifier.verify("Bearer " + token);
        }
        assertThat(keyLookups).hasValue(3);
    }

    @Test
    void missingMalformedAndExpiredTokensAreRefused() throws Exception {
        BearerTokenVerifier verifier = verifier(Duration.ofMinutes(1));
        assertThatThrownBy(() -> verifier.verify(null)).hasMessage("no Authorization header");
        assertThatThrownBy(() -> verifier.verify("Basic abc")).hasMessageContaining("not a Bearer token");
        assertThatThrownBy(() -> verifier.verify("Bearer not-a-jwt")).hasMessageContaining("refused");
        String expired = token(GP, Instant.now().minusSeconds(3600));
        assertThatThrownBy(() -> verifier.verify("Bearer " + expired)).hasMessageContaining("refused");
        assertThatThrownBy(() -> verifier.verify("Bearer " + expired)).hasMessageContaining("refused");
    }

    private BearerTokenVerifier verifier(Duration cacheTtl) {
        return new BearerTokenVerifier(keys, "test-issuer", NihiiValidation.LENIENT, cacheTtl);
    }

    private static String token(String nihii, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("test-issuer").subject(nihii).claim("nihii", nihii)
                        .claim("profession", "persphysician").claim("name", "An Verstraeten")
                        .expirationTime(Date.from(expires)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
