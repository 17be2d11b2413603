package be.recordbroker.rest;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;

/**
 * Who is calling on REST (and FHIR): a JWT bearer signed by a key of the configured JWK set (RS256 or ES256), not
 * expired, from the configured issuer, with the claims {@code profession}, {@code name}, and {@code nihii} for a
 * professional or {@code ssin} for a citizen acting for himself ({@code profession = patient}). The key set is
 * fetched on first use and cached by Nimbus (refreshed when an unknown key id shows up).
 *
 * <p>A token once verified is remembered, by its exact text, until it expires or for {@code verifiedCacheTtl}
 * whichever comes first: a client sends the same token with every request, and parsing the key and checking an RSA
 * signature was ~40% of a REST search's own CPU. The price: a key withdrawn from the key set still admits the tokens
 * it signed for at most that long. {@code Duration.ZERO} verifies every request.
 */
public final class BearerTokenVerifier {

    /** Memory bound of the verified-token cache: the tokens' characters, all together. */
    static final long VERIFIED_CACHE_MAX_CHARS = 8L * 1024 * 1024;

    private record Verified(Professional caller, Instant expires) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final NihiiValidation nihiiValidation;
    private final Cache<String, Verified> verified;

    /** @param jwkSetUrl resolved on first use (a path-only URL needs the local server's port) */
    public BearerTokenVerifier(Supplier<URI> jwkSetUrl, String issuer, NihiiValidation nihiiValidation,
                               Duration verifiedCacheTtl) {
        this(new LazyJwkSource(jwkSetUrl), issuer, nihiiValidation, verifiedCacheTtl);
    }

    BearerTokenVerifier(JWKSource<SecurityContext> keys, String issuer, NihiiValidation nihiiValidation,
                        Duration verifiedCacheTtl) {
        this.nihiiValidation = nihiiValidation;
        this.verified = verifiedCacheTtl.isZero() || verifiedCacheTtl.isNegative() ? null : Caffeine.newBuilder()
                .maximumWeight(VERIFIED_CACHE_MAX_CHARS)
                .weigher((String token, Verified v) -> token.length())
                .expireAfter(untilExpiryOrAtMost(verifiedCacheTtl))
                .build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer != null && !issuer.isBlank()) {
            exact.issuer(issuer);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(exact.build(),
                new HashSet<>(List.of("exp", "profession", "name"))));
    }

    /** The caller of an {@code Authorization} header value, or an exception saying (without the token) why not. */
    public Professional verify(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthenticatedException("no Authorization header");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() > 16_384) {
            throw new UnauthenticatedException("the Authorization header is not a Bearer token");
        }
        String token = authorization.substring(7).strip();
        if (verified != null) {
            Verified known = verified.getIfPresent(token);
            if (known != null && Instant.now().isBefore(known.expires())) {
                return known.caller();
            }
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (Exception e) {
            throw new UnauthenticatedException("the bearer token was refused: " + e.getMessage());
        }
        Professional caller = callerOf(claims);
        if (verified != null) {
            verified.put(token, new Verified(caller, claims.getExpirationTime().toInstant()));
        }
        return caller;
    }

    private Professional callerOf(JWTClaimsSet claims) {
        try {
            String profession = claims.getStringClaim("profession");
            String name = claims.getStringClaim("name");
            String rawNihii = claims.getStringClaim("nihii");
            String rawSsin = claims.getStringClaim("ssin");
            Ssin ssin = rawSsin == null || rawSsin.isBlank() ? null : Ssin.parse(rawSsin);
            Nihii nihii = rawNihii == null || rawNihii.isBlank() ? null : Nihii.parse(rawNihii, nihiiValidation);
            return new Professional(Professional.PATIENT.equals(profession) ? null : nihii, ssin, profession, name);
        } catch (java.text.ParseException | IllegalArgumentException e) {
            throw new UnauthenticatedException("the bearer token's claims are not a valid identity: " + e.getMessage());
        }
    }

    private static Expiry<String, Verified> untilExpiryOrAtMost(Duration ttl) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(String token, Verified v, long currentTime) {
                long untilExpiry = Duration.between(Instant.now(), v.expires()).toNanos();
                return Math.max(0, Math.min(ttl.toNanos(), untilExpiry));
            }

            @Override
            public long expireAfterUpdate(String token, Verified v, long currentTime, long currentDuration) {
                return expireAfterCreate(token, v, currentTime);
            }

            @Override
            public long expireAfterRead(String token, Verified v, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }

    /** The caller could not be authenticated. The message is safe to return: it never holds the token. */
    public static class UnauthenticatedException extends RuntimeException {
        public UnauthenticatedException(String message) {
            super(message);
        }
    }

    /** Builds Nimbus' caching, retrying URL key source when first asked. */
    private static final class LazyJwkSource implements JWKSource<SecurityContext> {
        private final Supplier<URI> url;
        private volatile JWKSource<SecurityContext> delegate;

        LazyJwkSource(Supplier<URI> url) {
            this.url = url;
        }

        @Override
        public List<com.nimbusds.jose.jwk.JWK> get(com.nimbusds.jose.jwk.JWKSelector selector, SecurityContext context)
                throws com.nimbusds.jose.KeySourceException {
            JWKSource<SecurityContext> source = delegate;
            if (source == null) {
                synchronized (this) {
                    if (delegate == null) {
                        try {
                            delegate = JWKSourceBuilder.<SecurityContext>create(url.get().toURL()).retrying(true).build();
                        } catch (MalformedURLException e) {
                            throw new com.nimbusds.jose.KeySourceException("bad JWK set URL: " + e.getMessage(), e);
                        }
                    }
                    source = delegate;
                }
            }
            return source.get(selector, context);
        }
    }
}
