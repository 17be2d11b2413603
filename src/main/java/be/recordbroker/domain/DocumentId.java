package be.recordbroker.domain;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * The broker's opaque document id: everything needed to route a retrieve back to the hub that
 * listed the document, the Belgian counterpart of XCA homeCommunityId + repositoryUniqueId +
 * documentUniqueId.
 *
 * <p><b>Encoding, version 2.</b> {@link #encode()} returns base64url without padding
 * ({@code [A-Za-z0-9_-]} only) of these bytes:
 * <pre>
 *   offset  size  field
 *   0       2     format version, unsigned big-endian = 2
 *   2       4     CRC-32C (big-endian) over bytes [0,2) followed by bytes [6,end)
 *   6       10    hubEhpId, ASCII digits
 *   16      11    patientSsin, ASCII digits
 *   27      2     n = sourceLabel length in UTF-8 bytes, unsigned big-endian (max 128)
 *   29      n     sourceLabel, UTF-8
 *   29+n    2     m = localId length in UTF-8 bytes, unsigned big-endian (max 512)
 *   31+n    m     localId, UTF-8
 * </pre>
 * The encoding is deterministic (same id, same string) and must stay stable: ids are handed to
 * clients who may come back with them later. Change the layout only under a new version number.
 *
 * <p><b>Why CRC-32C and a 6-byte header.</b> The checksum detects corruption and truncation, not
 * forgery: it has no key, so anyone can build a well-formed id, and access control must never rely
 * on it. CRC-32C is guaranteed to detect any error burst of up to 32 bits. One changed base64
 * character changes at most 6 consecutive bits, i.e. bits in at most two adjacent bytes, so a
 * single-character change is always detected. The header is 6 bytes = 8 base64 characters, so no
 * character mixes header bits with field bits: a change in the first 8 characters alters the version
 * or the stored checksum (rejected), a later change alters only checksummed bytes (detected).
 * Non-canonical base64 (unused trailing bits set) is rejected too, so every valid id has exactly
 * one spelling.
 *
 * <p><b>Why the patient is in it (version 2).</b> A retrieve ({@code GET /api/v1/documents/{id}}, IntraHub
 * GetTransaction) must name the patient to the hub and to the access gate, and the broker keeps no index. The SSIN
 * is already part of the search URL. Version 1 (no patient) never left a broker and is not read.
 *
 * <p><b>This is the inner form.</b> It has no key: anyone can build one from an SSIN, and the SSIN is readable in it.
 * Callers only ever see it sealed by {@link DocumentIdCodec} (AES-256-GCM under the broker's key), which hides the
 * fields and refuses forged ids before any hub is asked.
 *
 * @param hubEhpId    the 10-digit EHP id of the hub holding the document
 * @param patientSsin the patient's SSIN, 11 digits (normalised)
 * @param sourceLabel the KMEHR transaction id source label ({@code SL}), non-blank, at most 128 UTF-8 bytes
 * @param localId     the hub-local transaction id, non-blank, at most 512 UTF-8 bytes; kept verbatim
 * @throws InvalidIdentifierException with reason {@code INVALID_DOCUMENT_ID} if a field is invalid
 */
public record DocumentId(String hubEhpId, String patientSsin, String sourceLabel, String localId) {

    /** Longest encoded id {@link #decode(String)} will look at; valid ids are at most 895 characters. */
    public static final int MAX_ENCODED_LENGTH = 1024;
    /** Maximum UTF-8 length of {@link #sourceLabel()}. */
    public static final int MAX_SOURCE_LABEL_BYTES = 128;
    /** Maximum UTF-8 length of {@link #localId()}. */
    public static final int MAX_LOCAL_ID_BYTES = 512;

    private static final int VERSION = 2;
    private static final int HEADER_LENGTH = 6; // version(2) + crc(4): a multiple of 3 bytes, see javadoc
    private static final int HUB_ID_LENGTH = 10;
    private static final int SSIN_LENGTH = 11;
    private static final int MIN_LENGTH = HEADER_LENGTH + HUB_ID_LENGTH + SSIN_LENGTH + 2 + 1 + 2 + 1;

    /** Validates the fields so that every instance can be encoded and decoded back. */
    public DocumentId {
        if (!Digits.isAsciiDigits(hubEhpId, HUB_ID_LENGTH)) {
            throw invalid("document id hub EHP id must be 10 digits");
        }
        if (!Digits.isAsciiDigits(patientSsin, SSIN_LENGTH) || !Ssin.isValid(patientSsin)) {
            throw invalid("document id patient must be a valid 11-digit SSIN");
        }
        checkText(sourceLabel, "source label", MAX_SOURCE_LABEL_BYTES);
        checkText(localId, "local id", MAX_LOCAL_ID_BYTES);
    }

    /**
     * The stable, URL-safe encoding described in the class javadoc. This is the <em>inner</em> form: it carries the
     * SSIN readable to anyone and no authenticity, so it never leaves the broker; callers get
     * {@link DocumentIdCodec#encode} (its AEAD seal).
     */
    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes());
    }

    /** The layout of the class javadoc as bytes (what {@link DocumentIdCodec} seals). */
    byte[] bytes() {
        byte[] sl = utf8(sourceLabel);
        byte[] local = utf8(localId);
        ByteBuffer buf = ByteBuffer.allocate(HEADER_LENGTH + HUB_ID_LENGTH + SSIN_LENGTH + 2 + sl.length + 2
                + local.length);
        buf.putShort((short) VERSION);
        buf.putInt(0); // checksum placeholder
        buf.put(hubEhpId.getBytes(StandardCharsets.US_ASCII));
        buf.put(patientSsin.getBytes(StandardCharsets.US_ASCII));
        buf.putShort((short) sl.length).put(sl);
        buf.putShort((short) local.length).put(local);
        byte[] bytes = buf.array();
        ByteBuffer.wrap(bytes).putInt(2, checksum(bytes));
        return bytes;
    }

    /**
     * Decodes an id produced by {@link #encode()}.
     *
     * @throws InvalidIdentifierException with reason {@code INVALID_DOCUMENT_ID} if the id is null,
     *                                    too long, not base64url, truncated, of another version, fails
     *                                    the checksum or is otherwise malformed
     */
    public static DocumentId decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            throw invalid("document id is empty");
        }
        // Check the length before doing any work, so a huge input costs nothing.
        if (encoded.length() > MAX_ENCODED_LENGTH) {
            throw invalid("document id too long (max " + MAX_ENCODED_LENGTH + " characters)");
        }
        return fromBytes(base64UrlDecode(encoded));
    }

    /** Reads the bytes of {@link #bytes()}; refuses anything else. */
    static DocumentId fromBytes(byte[] bytes) {
        if (bytes.length < MIN_LENGTH) {
            throw invalid("document id is truncated");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (Short.toUnsignedInt(buf.getShort()) != VERSION) {
            throw invalid("unsupported document id version");
        }
        if (buf.getInt() != checksum(bytes)) {
            throw invalid("document id checksum does not match");
        }
        // From here the bytes are what encode() wrote (or a deliberate forgery), so stay defensive.
        try {
            String hub = new String(readBytes(buf, HUB_ID_LENGTH), StandardCharsets.US_ASCII);
            String patient = new String(readBytes(buf, SSIN_LENGTH), StandardCharsets.US_ASCII);
            String sl = utf8Decode(readBytes(buf, Short.toUnsignedInt(buf.getShort())));
            String local = utf8Decode(readBytes(buf, Short.toUnsignedInt(buf.getShort())));
            if (buf.hasRemaining()) {
                throw invalid("document id is malformed (trailing bytes)");
            }
            return new DocumentId(hub, patient, sl, local);
        } catch (BufferUnderflowException e) {
            throw invalid("document id is malformed (field longer than the id)");
        }
    }

    static byte[] base64UrlDecode(String encoded) {
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                throw invalid("document id is not valid base64url");
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw invalid("document id is not valid base64url");
        }
        // The JDK decoder ignores unused trailing bits; insist on the one canonical spelling.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(encoded)) {
            throw invalid("document id is not valid base64url (non-canonical encoding)");
        }
        return bytes;
    }

    /** CRC-32C over the version bytes and everything after the checksum field. */
    private static int checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 2);
        crc.update(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
        return (int) crc.getValue();
    }

    private static byte[] readBytes(ByteBuffer buf, int length) {
        byte[] out = new byte[length];
        buf.get(out);
        return out;
    }

    private static void checkText(String value, String field, int maxBytes) {
        if (value == null || value.isBlank()) {
            throw invalid("document id " + field + " must not be blank");
        }
        if (!isWellFormedUtf16(value)) {
            // An unpaired surrogate would silently become '?' in UTF-8 and break the round trip.
            throw invalid("document id " + field + " is not valid Unicode text");
        }
        if (utf8(value).length > maxBytes) {
            throw invalid("document id " + field + " is longer than " + maxBytes + " UTF-8 bytes");
        }
    }

    private static boolean isWellFormedUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8Decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("document id is malformed (invalid UTF-8)");
        }
    }

    private static InvalidIdentifierException invalid(String message) {
        return new InvalidIdentifierException(InvalidIdentifierException.INVALID_DOCUMENT_ID, message);
    }

    /** The SSIN prints masked, so that an id can be logged. */
    @Override
    public String toString() {
        return "DocumentId[hub=" + hubEhpId + ", patient=" + Ssin.parse(patientSsin) + ", sl=" + sourceLabel
                + ", localId=" + localId + "]";
    }
}
