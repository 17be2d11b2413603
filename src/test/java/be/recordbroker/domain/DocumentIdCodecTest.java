package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Sealed document ids: opaque (no SSIN readable), authenticated (a forged or altered id is refused), deterministic. */
class DocumentIdCodecTest {

    static final byte[] KEY = new byte[32];
    static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 9);
    }

    static final String P = "85073003328";
    static final DocumentId ID = new DocumentId("1990000035", P, "RSWID", "tx-42/é|1");

    final DocumentIdCodec codec = new DocumentIdCodec(KEY);

    @Test
    void roundTrip() {
        for (DocumentId id : new DocumentId[] {ID, new DocumentId("1990001916", "17073003384", "vitalinkuri",
                "urn:x/中文 😀|42"), new DocumentId("1990000035", P, "é".repeat(64), "é".repeat(256))}) {
            String sealed = codec.encode(id);
            assertThat(sealed).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(DocumentIdCodec.MAX_ENCODED_LENGTH);
            assertThat(codec.decode(sealed)).isEqualTo(id);
            assertThat(new DocumentIdCodec(KEY.clone()).decode(sealed)).as("same key, another instance").isEqualTo(id);
        }
    }

    @Test
    void deterministicSoADocumentKeepsItsIdAcrossSearches() {
        assertThat(codec.encode(ID)).isEqualTo(codec.encode(ID)).isEqualTo(new DocumentIdCodec(KEY).encode(ID));
        assertThat(codec.encode(ID)).isNotEqualTo(codec.encode(new DocumentId("1990000035", P, "RSWID", "tx-42/é|2")));
        assertThat(codec.encode(ID)).as("another key, another id").isNotEqualTo(new DocumentIdCodec(OTHER_KEY).encode(ID));
    }

    @Test
    void opaqueNoSsinNorLocalIdReadable() {
        String sealed = codec.encode(ID);
        String inner = new String(Base64.getUrlDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(sealed).doesNotContain(P).doesNotContain(ID.encode().substring(8, 20));
        assertThat(inner).doesNotContain(P).doesNotContain("RSWID").doesNotContain("tx-42");
    }

    @Test
    void everySingleCharacterChangeIsRefused() {
        String sealed = codec.encode(ID);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < sealed.length(); i++) {
            char other = alphabet.charAt((alphabet.indexOf(sealed.charAt(i)) + 17) % 64);
            String tampered = sealed.substring(0, i) + other + sealed.substring(i + 1);
            assertThatThrownBy(() -> codec.decode(tampered)).as("position %d", i)
                    .isInstanceOf(InvalidIdentifierException.class)
                    .satisfies(e -> assertThat(((InvalidIdentifierException) e).reason())
                            .isEqualTo(InvalidIdentifierException.INVALID_DOCUMENT_ID));
        }
    }

    @Test
    void forgedIdsAreRefused() {
        // the unsealed (wave 1) form, which anyone can build from an SSIN
        assertInvalid(ID.encode(), "");
        // sealed under another key: not this broker's
        assertInvalid(new DocumentIdCodec(OTHER_KEY).encode(ID), "not authentic");
        // truncated, extended, another version, garbage
        String sealed = codec.encode(ID);
        assertInvalid(sealed.substring(0, sealed.length() - 4), "");
        assertInvalid(sealed + "AAAA", "not authentic");
        byte[] bytes = Base64.getUrlDecoder().decode(sealed);
        bytes[0] = 2;
        assertInvalid(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), "unsupported document id version");
        assertInvalid(null, "empty");
        assertInvalid("", "empty");
        assertInvalid("%%%", "base64url");
        assertInvalid("AAAA", "truncated");
        assertInvalid("A".repeat(5000), "too long");
    }

    @Test
    void aKeyMustBe32Bytes() {
        assertThatThrownBy(() -> new DocumentIdCodec(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DocumentIdCodec.parseKey("c2hvcnQ=", "record-broker.document-id.key"))
                .hasMessageContaining("record-broker.document-id.key").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> DocumentIdCodec.parseKey("not base64!", "record-broker.document-id.key"))
                .hasMessageContaining("not base64");
        assertThat(DocumentIdCodec.parseKey(Base64.getEncoder().encodeToString(KEY), "k")).isEqualTo(KEY);
        assertThat(codec.toString()).doesNotContain(Base64.getEncoder().encodeToString(KEY));
    }

    private void assertInvalid(String encoded, String message) {
        assertThatThrownBy(() -> codec.decode(encoded)).isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidIdentifierException) e).reason())
                        .isEqualTo(InvalidIdentifierException.INVALID_DOCUMENT_ID));
    }
}
