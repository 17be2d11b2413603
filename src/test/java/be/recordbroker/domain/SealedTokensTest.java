package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SealedTokensTest {

    final SealedTokens tokens = new SealedTokens(new byte[32]);

    @Test
    void aTokenOpensForItsPurposeOnlyAndHidesItsText() {
        String token = tokens.seal("page", "78040814421 labresult");
        assertThat(token).matches("[A-Za-z0-9_-]+").doesNotContain("78040814421");
        assertThat(tokens.open("page", token)).contains("78040814421 labresult");
        assertThat(tokens.open("another purpose", token)).isEmpty();
    }

    @Test
    void theNonceFollowsTheTextAndThePurpose() {
        String token = tokens.seal("page", "text");
        assertThat(tokens.seal("page", "text")).isEqualTo(token);
        assertThat(tokens.seal("page", "text2").substring(0, 17)).as("version and nonce").isNotEqualTo(token.substring(0, 17));
        assertThat(tokens.seal("other", "text").substring(0, 17)).isNotEqualTo(token.substring(0, 17));
    }

    @Test
    void aDocumentIdDoesNotOpenAsATokenNorATokenAsADocumentId() {
        byte[] key = new byte[32];
        DocumentIdCodec ids = new DocumentIdCodec(key);
        SealedTokens sameKey = new SealedTokens(key);
        String id = ids.encode(new DocumentId("1990001916", "78040814421", "COZOID", "GNT-1"));
        assertThat(sameKey.open("page", id)).isEmpty();
        String token = sameKey.seal("page", "1990001916 78040814421");
        assertThatThrownBy(() -> ids.decode(token)).isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void anythingElseOpensToNothing() {
        String token = tokens.seal("page", "text");
        byte[] otherKey = new byte[32];
        otherKey[31] = 7;
        assertThat(new SealedTokens(otherKey).open("page", token)).isEmpty();
        assertThat(tokens.open("page", token.substring(0, token.length() - 8))).isEmpty();
        assertThat(tokens.open("page", null)).isEmpty();
        assertThat(tokens.open("page", "")).isEmpty();
        assertThat(tokens.open("page", "%%%")).isEmpty();
        assertThat(tokens.open("page", "A".repeat(SealedTokens.MAX_TOKEN_LENGTH + 1))).isEmpty();
    }
}
