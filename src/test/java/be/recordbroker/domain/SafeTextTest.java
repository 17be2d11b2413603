package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void everyControlCharacterBecomesAQuestionMark() {
        assertThat(SafeText.clean("lab\u0000result", 64)).isEqualTo("lab?result");
        assertThat(SafeText.clean("a\tb\nc\rd\u001fe\u007ff\u0085g\u009fh\u2028i\u2029j", 64))
                .isEqualTo("a?b?c?d?e?f?g?h?i?j");
        for (char c = 0; c < 0x20; c++) {
            assertThat(SafeText.clean("x" + c, 8)).isEqualTo("x?");
        }
    }

    @Test
    void cleanTextIsReturnedAsIsAndNullStaysNull() {
        String text = "Chest pain at the emergency department — Élodie";
        assertThat(SafeText.clean(text, 200)).isSameAs(text);
        assertThat(SafeText.clean(null, 10)).isNull();
        assertThat(SafeText.hasControl(text)).isFalse();
        assertThat(SafeText.hasControl("a\u0000")).isTrue();
    }

    @Test
    void capsWithoutSplittingASurrogatePairAndReplacesLoneSurrogates() {
        assertThat(SafeText.clean("abcdef", 3)).isEqualTo("abc");
        String emoji = "ab\uD83D\uDE00"; // a, b, one code point in two chars
        assertThat(SafeText.clean(emoji, 3)).isEqualTo("ab");
        assertThat(SafeText.clean(emoji, 4)).isEqualTo(emoji);
        assertThat(SafeText.clean("a\uD83Db", 8)).isEqualTo("a?b");
        assertThat(SafeText.clean("a\uDE00b", 8)).isEqualTo("a?b");
        assertThat(SafeText.clean("x".repeat(1000) + "\u0000", 200)).hasSize(200).doesNotContain("\u0000");
    }
}
