package be.recordbroker.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues demo identities for the sandbox: RS256 JWTs with the claims the broker reads ({@code nihii}, {@code ssin},
 * {@code profession}, {@code name}), signed with a key made at start-up. Its public half is published as a JWK set
 * so the broker verifies sandbox tokens exactly as it verifies a production identity provider's.
 * <p>
 * The key is made on a thread of its own, started with this object: a 2048-bit RSA key takes a large share of a
 * cold start's main thread (prime search in not yet compiled code), and nothing needs it before the first token or
 * key-set request (the broker's warm-up fetches the key set once the application has started).
 */
public final class SandboxTokens {

    private final java.util.concurrent.CompletableFuture<RSAKey> key;
    private final String issuer;
    private final Duration ttl;
    private final Clock clock;
    /** The {@code aud} of every token: the broker's configured audience (record-broker.identity.audience). */
    private final String audience;

    public SandboxTokens(String issuer, Duration ttl, Clock clock) {
        this(issuer, ttl, clock, null);
    }

    public SandboxTokens(String issuer, Duration ttl, Clock clock, String audience) {
        this.key = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID("sandbox-" + UUID.randomUUID())
                        .algorithm(JWSAlgorithm.RS256).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate the sandbox signing key", e);
            }
        }, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-signing-key");
            thread.setDaemon(true);
            thread.start();
        });
        this.issuer = issuer;
        this.ttl = ttl;
        this.clock = clock;
        this.audience = audience;
    }

    /** Signs a token for this identity; the caller has validated the claims. */
    public String issue(Map<String, String> claims) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(claims.getOrDefault("nihii", claims.get("ssin")))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        if (audience != null && !audience.isBlank()) {
            builder.audience(audience);
        }
        claims.forEach((name, value) -> {
            if (value != null) {
                builder.claim(name, value);
            }
        });
        RSAKey signing = key.join();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID()).build(),
                builder.build());
        try {
            jwt.sign(new RSASSASigner(signing));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a sandbox token", e);
        }
        return jwt.serialize();
    }

    /** The public key set, for verifiers. */
    public JWKSet publicKeys() {
        return new JWKSet(key.join().toPublicJWK());
    }

    public String issuer() {
        return issuer;
    }
}
