package be.recordbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HeaderTextTest {

    /** Spring Security's own rule for header names and values (StrictHttpFirewall's default). */
    private static final Pattern FIREWALL_RULE = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void everyCodePointIsJudgedAsSpringSecuritysRegexJudgesIt() {
        List<String> disagreements = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + new String(Character.toChars(codePoint)) + "z";
            if (HeaderText.allowed(text) != FIREWALL_RULE.matcher(text).matches()) {
                disagreements.add(Integer.toHexString(codePoint));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void controlCharactersAnywhereAreRefusedAndOrdinaryTokensPass() {
        assertThat(HeaderText.allowed("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).isTrue();
        assertThat(HeaderText.allowed("")).isTrue();
        assertThat(HeaderText.allowed("Ünïcödé ✓")).isTrue();
        assertThat(HeaderText.allowed("Bearer abc\u0000")).isFalse();
        assertThat(HeaderText.allowed("\u001bBearer")).isFalse();
        assertThat(HeaderText.allowed("a\u007fb")).isFalse();
        assertThat(HeaderText.allowed("a\u0085b")).isFalse();
        // a lone surrogate is assigned (type SURROGATE) for the regex as for this rule
        assertThat(HeaderText.allowed("a\ud800b")).isEqualTo(FIREWALL_RULE.matcher("a\ud800b").matches());
    }
}
