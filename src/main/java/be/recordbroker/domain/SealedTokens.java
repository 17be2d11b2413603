package be.recordbroker.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short texts the broker hands out and takes back, readable and alterable by nobody else: a FHIR search's paging
 * links (fhir/PageLinks.java) carry the search's parameters this way, so that a link names no patient to whoever reads
 * it in a browser's history or an access log.
 *
 * <p>AES-256-GCM under a key derived from the document id key (HMAC-SHA-256 with a label of its own, as
 * {@link DocumentIdCodec} derives its keys: one secret to manage, and a document id never opens as a token), and the
 * token's purpose as additional authenticated data, so that a token made for one purpose never opens as another's.
 * The nonce is synthetic, as the document ids' is: HMAC-SHA-256 of the purpose and the text under a key of its own,
 * truncated to 12 bytes. Two different texts share a nonce only by a 96-bit collision, whatever the number of tokens
 * (random nonces would bound the key's life to about 2^32 tokens); the same text gives the same token, which is
 * harmless here. Layout (base64url without padding): {@code version(1) = 1 | nonce(12) | ciphertext | tag(16)}.
 */
public final class SealedTokens {

    /**
     * Longest token looked at: a request line's worth (Tomcat's default header limit is 8 KB). The FHIR face's
     * parameters are capped (one patient, at most 32 codes, dates), so its page links stay far below it.
     */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final byte VERSION = 1;
    /** DocumentIdCodec's layout, which {@link DocumentIdCodec#sealed} and {@link DocumentIdCodec#opened} use. */
    private static final int NONCE_BYTES = DocumentIdCodec.NONCE_BYTES;
    private static final int TAG_BITS = DocumentIdCodec.TAG_BITS;

    private final SecretKeySpec key;
    private final SecretKeySpec nonceKey;

    /** @param key the document id key's 32 bytes (kept only in derived form) */
    public SealedTokens(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != DocumentIdCodec.KEY_BYTES) {
            throw new IllegalArgumentException("a token key is " + DocumentIdCodec.KEY_BYTES + " bytes, not "
                    + key.length);
        }
        this.key = new SecretKeySpec(DocumentIdCodec.derive(key, "record-broker sealed-token aes-256-gcm v1"), "AES");
        this.nonceKey = new SecretKeySpec(DocumentIdCodec.derive(key, "record-broker sealed-token nonce v1"),
                "HmacSHA256");
    }

    /** The text sealed for this purpose. */
    public String seal(String purpose, String text) {
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        byte[] associatedData = purpose.getBytes(StandardCharsets.UTF_8);
        byte[] nonce;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(nonceKey);
            mac.update(associatedData);
            mac.update((byte) 0);
            nonce = Arrays.copyOf(mac.doFinal(plain), NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
        return DocumentIdCodec.sealed(key, VERSION, nonce, associatedData, plain);
    }

    /**
     * The text of a token sealed for this purpose under this key; empty for anything else (too long, not base64url,
     * truncated, another version, another purpose, another key, altered).
     */
    public Optional<String> open(String purpose, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8 || bytes[0] != VERSION) {
            return Optional.empty();
        }
        try {
            byte[] plain = DocumentIdCodec.opened(key, bytes, purpose.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        }
    }

    /** The key stays out of logs. */
    @Override
    public String toString() {
        return "SealedTokens[AES-256-GCM v" + VERSION + "]";
    }
}
