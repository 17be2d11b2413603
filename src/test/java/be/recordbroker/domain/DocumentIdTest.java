package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentIdTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String P = "85073003328";
    private static final DocumentId FIXED = new DocumentId("1990000035", P, "RSWID", "tx-42/é|1");
    // Computed independently (Python, hand-written CRC-32C) from the v1 layout; must never change.
    private static final String FIXED_ENCODED = "AALOejsVMTk5MDAwMDAzNTg1MDczMDAzMzI4AAVSU1dJRAAKdHgtNDIvw6l8MQ";

    @Test
    void encodingIsStable() {
        assertThat(FIXED.encode()).isEqualTo(FIXED_ENCODED);
        assertThat(new DocumentId("1990000728", P, "RSBID", "1").encode()).isEqualTo("AAJXzXzeMTk5MDAwMDcyODg1MDczMDAzMzI4AAVSU0JJRAABMQ");
        assertThat(DocumentId.decode(FIXED_ENCODED)).isEqualTo(FIXED);
    }

    @Test
    void roundTripsGeneratedValues() {
        String[] pieces = {"a", "Z", "0", "9", " ", "|", "/", "\\", "%", "+", "=", "?", "#", "&", ":", ".", "-", "_",
                "é", "ü", "ß", "中", "文", "😀", "𝄞", "\u0000", "\n", "\t", "'", "\""};
        Random random = new Random(20240601);
        for (int i = 0; i < 3_000; i++) {
            String hub = String.format("%010d", Math.floorMod(random.nextLong(), 10_000_000_000L));
            String sl = randomText(random, pieces, 1 + random.nextInt(20));
            String local = randomText(random, pieces, 1 + random.nextInt(120));
            DocumentId id = new DocumentId(hub, P, sl, local);

            String encoded = id.encode();

            assertThat(encoded).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(DocumentId.MAX_ENCODED_LENGTH);
            assertThat(id.encode()).isEqualTo(encoded);
            assertThat(DocumentId.decode(encoded)).isEqualTo(id);
        }
    }

    private static String randomText(Random random, String[] pieces, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString().isBlank() ? "x" + sb : sb.toString(); // blank values are invalid by design
    }

    @Test
    void preservesSurroundingWhitespace() {
        DocumentId id = new DocumentId("1990000035", P, " SL with spaces ", "  local id  ");
        assertThat(DocumentId.decode(id.encode())).isEqualTo(id);
    }

    @Test
    void largestFieldsFitTheEncodedCap() {
        DocumentId id = new DocumentId("1990000035", P, "é".repeat(64), "é".repeat(256)); // 128 and 512 UTF-8 bytes
        String encoded = id.encode();

        assertThat(encoded).hasSize(895);
        assertThat(DocumentId.decode(encoded)).isEqualTo(id);
    }

    @Test
    void rejectsFieldsOverTheirByteCap() {
        assertInvalid(() -> new DocumentId("1990000035", P, "RSWID", "é".repeat(256) + "a"), "local id is longer than 512");
        assertInvalid(() -> new DocumentId("1990000035", P, "a".repeat(129), "1"), "source label is longer than 128");
    }

    @Test
    void validatesFields() {
        assertInvalid(() -> new DocumentId("199000003", P, "RSWID", "1"), "hub EHP id");
        assertInvalid(() -> new DocumentId("1990000035", "85073003329", "RSWID", "1"), "patient");
        assertInvalid(() -> new DocumentId("1990000035", "85.07.30-033.28", "RSWID", "1"), "patient");
        assertInvalid(() -> new DocumentId("199000003a", P, "RSWID", "1"), "hub EHP id");
        assertInvalid(() -> new DocumentId(null, P, "RSWID", "1"), "hub EHP id");
        assertInvalid(() -> new DocumentId("1990000035", P, " ", "1"), "source label must not be blank");
        assertInvalid(() -> new DocumentId("1990000035", P, null, "1"), "source label must not be blank");
        assertInvalid(() -> new DocumentId("1990000035", P, "RSWID", ""), "local id must not be blank");
        assertInvalid(() -> new DocumentId("1990000035", P, "RSWID", null), "local id must not be blank");
        assertInvalid(() -> new DocumentId("1990000035", P, "RSWID", "a\uD800b"), "not valid Unicode");
        assertInvalid(() -> new DocumentId("1990000035", P, "RSWID", "a\uDC00"), "not valid Unicode");
    }

    @Test
    void everySingleCharacterChangeIsRejected() {
        for (DocumentId id : new DocumentId[] {FIXED, new DocumentId("1990001916", P, "vitalinkuri", "urn:x/中文 😀|42")}) {
            String encoded = id.encode();
            for (int pos = 0; pos < encoded.length(); pos++) {
                for (char c : ALPHABET.toCharArray()) {
                    if (c == encoded.charAt(pos)) {
                        continue;
                    }
                    String tampered = encoded.substring(0, pos) + c + encoded.substring(pos + 1);
                    assertThatThrownBy(() -> DocumentId.decode(tampered))
                            .as("change at %d to %s", pos, c)
                            .isInstanceOf(InvalidIdentifierException.class)
                            .extracting(e -> ((InvalidIdentifierException) e).reason())
                            .isEqualTo("INVALID_DOCUMENT_ID");
                }
            }
        }
    }

    @Test
    void aChangedFieldCharacterFailsTheChecksum() {
        char[] chars = FIXED_ENCODED.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        assertInvalid(() -> DocumentId.decode(new String(chars)), "document id checksum does not match");
    }

    @Test
    void unusedTrailingBitsMustBeZero() {
        // 47 characters encode 35 bytes; the last character carries 4 unused bits.
        char last = FIXED_ENCODED.charAt(FIXED_ENCODED.length() - 1);
        char sameBytes = ALPHABET.charAt(ALPHABET.indexOf(last) ^ 1);
        String nonCanonical = FIXED_ENCODED.substring(0, FIXED_ENCODED.length() - 1) + sameBytes;
        assertThat(Base64.getUrlDecoder().decode(nonCanonical)).isEqualTo(Base64.getUrlDecoder().decode(FIXED_ENCODED));

        assertInvalid(() -> DocumentId.decode(nonCanonical), "non-canonical");
    }

    @Test
    void everyTruncationIsRejected() {
        for (int length = 0; length < FIXED_ENCODED.length(); length++) {
            String truncated = FIXED_ENCODED.substring(0, length);
            assertThatThrownBy(() -> DocumentId.decode(truncated))
                    .as("truncated to %d", length)
                    .isInstanceOf(InvalidIdentifierException.class);
        }
    }

    @Test
    void extensionIsRejected() {
        for (String suffix : new String[] {"A", "AA", "AAA", "AAAA", "QQ"}) {
            assertThatThrownBy(() -> DocumentId.decode(FIXED_ENCODED + suffix)).isInstanceOf(InvalidIdentifierException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "%%%", "AAAA", "A", "AA==", "AAGNYLMWMTk5MDAwMDAzNQAFUlNXSUQACnR4LTQyL8OpfDE=",
            "AAGNYLMW+Tk5MDAwMDAzNQAFUlNXSUQACnR4LTQyL8OpfDE", "AAGNYLMW/Tk5MDAwMDAzNQAFUlNXSUQACnR4LTQyL8OpfDE",
            "AAGN YLMWMTk5MDAwMDAzNQAFUlNXSUQACnR4LTQyL8OpfDE", "ÄÖÜ"})
    void rejectsGarbage(String garbage) {
        assertThatThrownBy(() -> DocumentId.decode(garbage))
                .isInstanceOf(InvalidIdentifierException.class)
                .extracting(e -> ((InvalidIdentifierException) e).reason())
                .isEqualTo("INVALID_DOCUMENT_ID");
    }

    @Test
    void garbageMessagesAreSpecific() {
        assertInvalid(() -> DocumentId.decode(null), "document id is empty");
        assertInvalid(() -> DocumentId.decode("%%%"), "document id is not valid base64url");
        assertInvalid(() -> DocumentId.decode("A"), "document id is not valid base64url");
        assertInvalid(() -> DocumentId.decode("AAAA"), "document id is truncated");
    }

    @Test
    void rejectsTooLongInputBeforeDecoding() {
        assertInvalid(() -> DocumentId.decode("A".repeat(1025)), "document id too long");
        assertInvalid(() -> DocumentId.decode("%".repeat(100_000)), "document id too long");
    }

    @Test
    void rejectsOtherVersionsEvenWithAValidChecksum() {
        assertInvalid(() -> DocumentId.decode(craft(1, body("1990000035", "RSWID", "1"), 0)), "unsupported document id version");
        assertInvalid(() -> DocumentId.decode(craft(3, body("1990000035", "RSWID", "1"), 0)), "unsupported document id version");
        assertInvalid(() -> DocumentId.decode(craft(0, body("1990000035", "RSWID", "1"), 0)), "unsupported document id version");
        // Sanity check of the crafting helper: version 2 produces what encode() produces.
        assertThat(craft(2, body("1990000035", "RSWID", "tx-42/é|1"), 0)).isEqualTo(FIXED_ENCODED);
    }

    @Test
    void rejectsStructurallyBrokenPayloadsEvenWithAValidChecksum() {
        byte[] good = body("1990000035", "RSWID", "1");
        assertInvalid(() -> DocumentId.decode(craft(2, good, 1)), "trailing bytes");

        ByteBuffer longField = ByteBuffer.wrap(good.clone());
        longField.putShort(10 + 11 + 2 + 5, (short) 400); // localId length larger than what follows
        assertInvalid(() -> DocumentId.decode(craft(2, longField.array(), 0)), "malformed");

        byte[] badUtf8 = body("1990000035", "RSWID", "ab");
        badUtf8[badUtf8.length - 1] = (byte) 0xC3; // starts a 2-byte sequence that never ends
        assertInvalid(() -> DocumentId.decode(craft(2, badUtf8, 0)), "invalid UTF-8");

        assertInvalid(() -> DocumentId.decode(craft(2, body("199000003X", "RSWID", "1"), 0)), "hub EHP id");
        assertInvalid(() -> DocumentId.decode(craft(2, body("1990000035", "85073003329", "RSWID", "1"), 0)), "patient");
        assertInvalid(() -> DocumentId.decode(craft(2, body("1990000035", "RSWID", "   "), 0)), "local id must not be blank");
    }

    @Test
    void toStringShowsTheFields() {
        assertThat(FIXED.toString()).contains("1990000035").contains("RSWID").contains("tx-42/é|1");
    }

    private static byte[] body(String hub, String sl, String local) {
        return body(hub, P, sl, local);
    }

    private static byte[] body(String hub, String patient, String sl, String local) {
        byte[] s = sl.getBytes(StandardCharsets.UTF_8);
        byte[] l = local.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(10 + 11 + 2 + s.length + 2 + l.length)
                .put(hub.getBytes(StandardCharsets.US_ASCII))
                .put(patient.getBytes(StandardCharsets.US_ASCII))
                .putShort((short) s.length).put(s)
                .putShort((short) l.length).put(l)
                .array();
    }

    /** Builds an encoded id with a correct CRC-32C, a chosen version and extra trailing zero bytes. */
    private static String craft(int version, byte[] body, int extraBytes) {
        byte[] versionBytes = {(byte) (version >> 8), (byte) version};
        byte[] fullBody = new byte[body.length + extraBytes];
        System.arraycopy(body, 0, fullBody, 0, body.length);
        CRC32C crc = new CRC32C();
        crc.update(versionBytes);
        crc.update(fullBody);
        byte[] bytes = ByteBuffer.allocate(6 + fullBody.length)
                .put(versionBytes).putInt((int) crc.getValue()).put(fullBody).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((InvalidIdentifierException) e).reason())
                .isEqualTo("INVALID_DOCUMENT_ID");
    }
}
