package be.recordbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HeaderTextTest {

    /** Spring Security's own rules (StrictHttpFirewall's defaults, spring-security-web 6.5). */
    private static final Pattern NAME_RULE = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE_RULE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsSpringSecuritysRegexesJudgeIt() {
        assertThat(disagreements(HeaderText::allowedName, NAME_RULE)).isEmpty();
        assertThat(disagreements(HeaderText::allowedValue, VALUE_RULE)).isEmpty();
    }

    @Test
    void controlCharactersAreRefusedATabOnlyInAValue() {
        assertThat(HeaderText.allowedValue("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).isTrue();
        assertThat(HeaderText.allowedValue("")).isTrue();
        assertThat(HeaderText.allowedValue("Ünïcödé ✓")).isTrue();
        assertThat(HeaderText.allowedValue("Chest\tpain")).isTrue();
        assertThat(HeaderText.allowedName("X\tName")).isFalse();
        assertThat(HeaderText.allowedValue("Bearer abc\u0000")).isFalse();
        assertThat(HeaderText.allowedValue("\u001bBearer")).isFalse();
        assertThat(HeaderText.allowedValue("a\u007fb")).isFalse();
        assertThat(HeaderText.allowedValue("a\u0085b")).isFalse();
        // a lone surrogate is assigned (type SURROGATE) for the regex as for this rule
        assertThat(HeaderText.allowedValue("a\ud800b")).isEqualTo(VALUE_RULE.matcher("a\ud800b").matches());
    }

    private static List<String> disagreements(Predicate<String> rule, Pattern regex) {
        List<String> disagreements = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + new String(Character.toChars(codePoint)) + "z";
            if (rule.test(text) != regex.matcher(text).matches()) {
                disagreements.add(Integer.toHexString(codePoint));
            }
        }
        return disagreements;
    }
}
