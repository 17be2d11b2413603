package be.recordbroker.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The document id callers see: the {@link DocumentId} sealed with AES-256-GCM under the broker's key
 * ({@code record-broker.document-id.key}), so that it names no patient to whoever reads a URL or a log, and so that
 * an id the broker did not mint is refused before any hub is asked (a forged id cannot make the broker query a hub).
 *
 * <p><b>Layout</b> (base64url without padding): {@code version(1) = 1 | nonce(12) | ciphertext | tag(16)}, the
 * version byte as additional authenticated data, the plaintext the bytes of {@link DocumentId#bytes()}.
 *
 * <p><b>Why a deterministic nonce.</b> A document must keep one id across searches (callers bookmark and compare
 * ids). The nonce is HMAC-SHA-256 of the plaintext under a key of its own, truncated to 12 bytes (a synthetic IV, as in
 * AES-GCM-SIV): the same plaintext always gives the same nonce, two different plaintexts the same nonce only by a
 * 96-bit collision, so the GCM rule "never one nonce for two messages" holds. The price: equal ids reveal equal
 * documents, which they are meant to. The decoder also checks that the nonce is the plaintext's, so each document has
 * exactly one valid spelling.
 *
 * <p>The encryption and nonce keys are derived from the configured key (HMAC-SHA-256 with distinct labels), so one
 * 32-byte secret is all there is to manage. Changing it invalidates every id handed out before (callers search again).
 */
public final class DocumentIdCodec {

    /** Length of the configured key in bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    /** Longest encoded id looked at; valid ids are at most 934 characters. */
    public static final int MAX_ENCODED_LENGTH = 1024;

    private static final byte VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final int MIN_BYTES = 1 + NONCE_BYTES + TAG_BITS / 8 + 1;
    /** Encoded ids kept (at most ~1 KB each: a few MB). */
    private static final int HANDED_OUT_CACHED = 4096;

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec nonceKey;
    /**
     * The nonce's HMAC, one per thread and reused (doFinal resets it): Mac.getInstance looked the provider up and
     * init hashed the key again for each id, three ids per search (search benchmark's JFR, wave 5). The cipher stays
     * one per call: a GCM cipher refuses to encrypt twice in a row under the same nonce, as one document's would be.
     */
    private final ThreadLocal<Mac> nonceMac = ThreadLocal.withInitial(this::newNonceMac);
    /**
     * The ids already handed out, by document: encoding is deterministic, and the same documents come back search after
     * search (three ids a search page in the search benchmark), while sealing one looks the cipher up and sets AES-GCM
     * up afresh (a cipher refuses to be reused for the same nonce), a tenth of what a search's request thread allocated
     * (search benchmark's JFR, wave 8). Bounded; it holds only what was handed out.
     */
    private final Cache<DocumentId, String> handedOut = Caffeine.newBuilder().maximumSize(HANDED_OUT_CACHED).build();

    /** @param key 32 bytes of key material (kept only in derived form) */
    public DocumentIdCodec(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a document id key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.encryptionKey = new SecretKeySpec(derive(key, "record-broker document-id aes-256-gcm v1"), "AES");
        this.nonceKey = new SecretKeySpec(derive(key, "record-broker document-id nonce v1"), "HmacSHA256");
    }

    /** The id to hand out: deterministic for a document, opaque, authenticated. */
    public String encode(DocumentId id) {
        return handedOut.get(id, this::seal);
    }

    private String seal(DocumentId id) {
        byte[] plain = id.bytes();
        return sealed(encryptionKey, VERSION, nonce(plain), new byte[] {VERSION}, plain);
    }

    /**
     * {@code version | nonce | AES-GCM ciphertext and tag} in base64url without padding: the layout of the document ids
     * and of {@link SealedTokens}.
     */
    static String sealed(SecretKeySpec key, byte version, byte[] nonce, byte[] associatedData, byte[] plain) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(1 + nonce.length + sealed.length);
            out.put(version).put(nonce).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens an id made by {@link #encode} under the same key.
     *
     * @throws InvalidIdentifierException {@code INVALID_DOCUMENT_ID} for anything else: empty, too long, not base64url,
     *                                    another version, truncated, or not authentic (forged, tampered, other key);
     *                                    the message names the reason, never the content
     */
    public DocumentId decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            throw invalid("document id is empty");
        }
        if (encoded.length() > MAX_ENCODED_LENGTH) {
            throw invalid("document id too long (max " + MAX_ENCODED_LENGTH + " characters)");
        }
        byte[] bytes = DocumentId.base64UrlDecode(encoded);
        if (bytes.length < MIN_BYTES) {
            throw invalid("document id is truncated");
        }
        if (bytes[0] != VERSION) {
            throw invalid("unsupported document id version");
        }
        byte[] plain;
        try {
            plain = opened(encryptionKey, bytes, new byte[] {VERSION});
        } catch (AEADBadTagException e) {
            throw invalid("document id is not authentic (not issued by this broker, or altered)");
        }
        if (!MessageDigest.isEqual(Arrays.copyOfRange(bytes, 1, 1 + NONCE_BYTES), nonce(plain))) {
            throw invalid("document id is not authentic (not issued by this broker, or altered)");
        }
        return DocumentId.fromBytes(plain);
    }

    /**
     * The plaintext of {@code version | nonce | AES-GCM ciphertext and tag} ({@link #sealed}; the version and the
     * length already checked).
     *
     * @throws AEADBadTagException when it is not authentic under this key and associated data
     */
    static byte[] opened(SecretKeySpec key, byte[] bytes, byte[] associatedData) throws AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(bytes, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Decodes a key given as base64 (standard or URL alphabet); it must be {@link #KEY_BYTES} bytes. */
    public static byte[] parseKey(String base64, String property) {
        byte[] key;
        try {
            String trimmed = base64.strip();
            key = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(property + " must be " + KEY_BYTES + " bytes (base64), not " + key.length);
        }
        return key;
    }

    private byte[] nonce(byte[] plain) {
        return Arrays.copyOf(nonceMac.get().doFinal(plain), NONCE_BYTES);
    }

    private Mac newNonceMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(nonceKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    /** A key of its own for each label, from the one configured (HMAC-SHA-256 of the label). */
    static byte[] derive(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    private static InvalidIdentifierException invalid(String message) {
        return new InvalidIdentifierException(InvalidIdentifierException.INVALID_DOCUMENT_ID, message);
    }

    /** The key stays out of logs and heap dumps' toString. */
    @Override
    public String toString() {
        return "DocumentIdCodec[AES-256-GCM v" + VERSION + "]";
    }
}
