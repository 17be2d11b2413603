package be.recordbroker.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The REST face's bearer-token decoders (Spring Security's resource server calls them): a signature by a key of the
 * configured JWK set, RS256 or ES256 only (HS256, {@code none} and the rest are refused before any key is looked
 * at), {@code exp} present and not past, {@code nbf} not ahead, {@code iss} equal to the configured issuer and
 * {@code aud} naming the configured audience.
 *
 * <p>The key set is fetched on first use, not at start-up: a path-only URL ({@code /sandbox/jwks.json}) is this
 * server, whose port is known only once it listens; Nimbus caches it and refetches it when an unknown key id shows up.
 *
 * <p>A verified token is remembered ({@link #caching}), keyed by its SHA-256, until its {@code exp} or for the
 * configured TTL, whichever comes first: a client sends the same token with every request, and the RSA signature was
 * ~40% of a REST search's own CPU (search benchmark, wave 1). The price: a key withdrawn from the set still admits
 * the tokens it signed for at most that TTL.
 */
public final class BearerTokenDecoders {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** At most this many verified tokens are remembered. */
    static final long CACHE_SIZE = 100_000;

    private BearerTokenDecoders() {
    }

    /** Verifies against the key set at {@code jwkSetUrl} (resolved when first needed). */
    public static JwtDecoder verifying(Supplier<URI> jwkSetUrl, String issuer, String audience) {
        return verifying(new LazyJwkSource(jwkSetUrl), issuer, audience);
    }

    /** Verifies against the given key source (tests: a fixed key set). */
    public static JwtDecoder verifying(JWKSource<SecurityContext> keys, String issuer, String audience) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        // the claims are Spring's validators' business (below)
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(validator(issuer, audience));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
        return new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtTimestampValidator(Duration.ofSeconds(30)),
                new JwtIssuerValidator(issuer),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience))));
    }

    /** Refuses every token: no key set is configured (outside prod only; prod does not start without one). */
    public static JwtDecoder refusingAll(String why) {
        return token -> {
            throw new BadJwtException(why);
        };
    }

    /** Remembers what {@code decoder} verified, keyed by the token's SHA-256, never past the token's exp. */
    public static JwtDecoder caching(JwtDecoder decoder, Duration ttl) {
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            return decoder;
        }
        // recordStats: the "tokens" cache's hit ratio (ops.OpsMetricsConfiguration finds it as a CachingJwtDecoder)
        Cache<String, Jwt> verified = Caffeine.newBuilder()
                .maximumSize(CACHE_SIZE)
                .expireAfter(untilExpiryOrAtMost(ttl))
                .recordStats()
                .build();
        return new CachingJwtDecoder(decoder, verified);
    }

    /** A decoder that remembers verified tokens; its cache is exposed for the cache metrics. */
    public static final class CachingJwtDecoder implements JwtDecoder {
        private final JwtDecoder decoder;
        private final Cache<String, Jwt> verified;

        CachingJwtDecoder(JwtDecoder decoder, Cache<String, Jwt> verified) {
            this.decoder = decoder;
            this.verified = verified;
        }

        public Cache<String, Jwt> cache() {
            return verified;
        }

        @Override
        public Jwt decode(String token) {
            String key = sha256(token);
            Jwt known = verified.getIfPresent(key);
            if (known != null && known.getExpiresAt() != null && Instant.now().isBefore(known.getExpiresAt())) {
                return known;
            }
            Jwt jwt = decoder.decode(token);
            verified.put(key, jwt);
            return jwt;
        }
    }

    private static Expiry<String, Jwt> untilExpiryOrAtMost(Duration ttl) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(String key, Jwt jwt, long currentTime) {
                Instant expires = jwt.getExpiresAt() == null ? Instant.now() : jwt.getExpiresAt();
                long untilExpiry = Duration.between(Instant.now(), expires).toNanos();
                return Math.max(0, Math.min(ttl.toNanos(), untilExpiry));
            }

            @Override
            public long expireAfterUpdate(String key, Jwt jwt, long currentTime, long currentDuration) {
                return expireAfterCreate(key, jwt, currentTime);
            }

            @Override
            public long expireAfterRead(String key, Jwt jwt, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
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
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            JWKSource<SecurityContext> source = delegate;
            if (source == null) {
                synchronized (this) {
                    if (delegate == null) {
                        try {
                            delegate = JWKSourceBuilder.<SecurityContext>create(url.get().toURL()).retrying(true).build();
                        } catch (MalformedURLException | RuntimeException e) {
                            throw new KeySourceException("the JWK set URL cannot be used: " + e.getMessage(), e);
                        }
                    }
                    source = delegate;
                }
            }
            return source.get(selector, context);
        }
    }

}
