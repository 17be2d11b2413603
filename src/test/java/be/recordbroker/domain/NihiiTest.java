package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NihiiTest {

    // Vectors computed with the classic rule: check = 97 - (first6 mod 97).
    // 123456 mod 97 = 72 -> 25; 100001 mod 97 = 91 -> 06; 100007 mod 97 = 0 -> 97.
    private static final String GP = "12345625001";            // physician 1-23456-25-001
    private static final String SAME_PERSON_NEW_QUAL = "12345625580";
    private static final String FAILS_CLASSIC = "12345626001"; // check off by one

    @ParameterizedTest
    @EnumSource(NihiiValidation.class)
    void accepts11DigitsPassingTheClassicRuleInBothModes(NihiiValidation mode) {
        Nihii nihii = Nihii.parse(GP, mode);

        assertThat(nihii.value()).isEqualTo(GP);
        assertThat(nihii.identity()).isEqualTo("12345625");
        assertThat(nihii.qualification()).contains("001");
        assertThat(nihii.professionDigit()).isEqualTo(1);
        assertThat(nihii.check()).isEqualTo(NihiiCheck.CLASSIC_97);
        assertThat(nihii.checkVerified()).isTrue();
    }

    @Test
    void accepts8DigitsWithoutQualification() {
        Nihii nihii = Nihii.parse("12345625", NihiiValidation.STRICT);

        assertThat(nihii.value()).isEqualTo("12345625");
        assertThat(nihii.identity()).isEqualTo("12345625");
        assertThat(nihii.qualification()).isEmpty();
    }

    @Test
    void checkDigitsWithLeadingZeroAnd97() {
        assertThat(Nihii.parse("10000106", NihiiValidation.STRICT).checkVerified()).isTrue();
        assertThat(Nihii.parse("10000797001", NihiiValidation.STRICT).checkVerified()).isTrue();
        // 97 - x is never 0, so "00" cannot pass.
        assertThat(Nihii.parse("10000700001", NihiiValidation.LENIENT).checkVerified()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-23456-25-001", "1.23456.25.001", "1 23456 25 001", "1/23456/25/001", " 12345625001 "})
    void toleratesSeparators(String raw) {
        assertThat(Nihii.parse(raw, NihiiValidation.STRICT).value()).isEqualTo(GP);
    }

    @Test
    void lenientAcceptsAndFlagsANumberFailingTheClassicRule() {
        Nihii nihii = Nihii.parse(FAILS_CLASSIC, NihiiValidation.LENIENT);

        assertThat(nihii.value()).isEqualTo(FAILS_CLASSIC);
        assertThat(nihii.check()).isEqualTo(NihiiCheck.UNVERIFIED);
        assertThat(nihii.checkVerified()).isFalse();
    }

    @Test
    void strictRejectsANumberFailingTheClassicRule() {
        assertThatThrownBy(() -> Nihii.parse(FAILS_CLASSIC, NihiiValidation.STRICT))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("check digits")
                .extracting(e -> ((InvalidIdentifierException) e).reason())
                .isEqualTo("INVALID_NIHII");
    }

    @Test
    void documentedInstitutionExampleFailsTheClassicRule() {
        // 71000012 is a published institution example: 97 - (710000 mod 97) = 40, not 12.
        Nihii hospital = Nihii.parse("71000012", NihiiValidation.LENIENT);

        assertThat(hospital.professionDigit()).isEqualTo(7);
        assertThat(hospital.check()).isEqualTo(NihiiCheck.UNVERIFIED);
        assertThatThrownBy(() -> Nihii.parse("71000012", NihiiValidation.STRICT))
                .isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void qualificationChangeKeepsTheSameIdentity() {
        Nihii trainee = Nihii.parse(GP, NihiiValidation.STRICT);
        Nihii gp = Nihii.parse(SAME_PERSON_NEW_QUAL, NihiiValidation.STRICT);

        assertThat(trainee).isNotEqualTo(gp);
        assertThat(trainee.sameIdentityAs(gp)).isTrue();
        assertThat(gp.sameIdentityAs(trainee)).isTrue();
        assertThat(trainee.qualification()).isNotEqualTo(gp.qualification());
        assertThat(trainee.sameIdentityAs(Nihii.parse("12345625", NihiiValidation.STRICT))).isTrue();
        assertThat(trainee.sameIdentityAs(Nihii.parse("10000106001", NihiiValidation.STRICT))).isFalse();
        assertThat(trainee.sameIdentityAs(null)).isFalse();
    }

    @Test
    void equalityIsOnAllDigits() {
        assertThat(Nihii.parse("1-23456-25-001", NihiiValidation.STRICT))
                .isEqualTo(Nihii.parse(GP, NihiiValidation.LENIENT))
                .hasSameHashCodeAs(Nihii.parse(GP, NihiiValidation.LENIENT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234562", "123456250", "1234562500", "123456250011", "1"})
    void rejectsWrongLengthInBothModes(String raw) {
        for (NihiiValidation mode : NihiiValidation.values()) {
            assertThatThrownBy(() -> Nihii.parse(raw, mode))
                    .isInstanceOf(InvalidIdentifierException.class)
                    .hasMessage("NIHII must have 8 or 11 digits, got " + raw.length());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234562A001", "12345625_001", "１2345625001", "1234-5625-OO1"})
    void rejectsNonDigitsInBothModes(String raw) {
        for (NihiiValidation mode : NihiiValidation.values()) {
            assertThatThrownBy(() -> Nihii.parse(raw, mode))
                    .isInstanceOf(InvalidIdentifierException.class)
                    .hasMessageContaining("only digits")
                    .hasMessageNotContaining(raw);
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void rejectsMissingInput(String raw) {
        assertThatThrownBy(() -> Nihii.parse(raw, NihiiValidation.LENIENT))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessage("NIHII is missing");
    }

    @Test
    void anSsinPassedByMistakeIsNotEchoedInTheError() {
        assertThatThrownBy(() -> Nihii.parse("85073003328", NihiiValidation.STRICT))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageNotContaining("85073003328");
    }
}
