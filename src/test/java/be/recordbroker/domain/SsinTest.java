package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SsinTest {

    /** Independent oracle: appends the check digits for the given century to 9 digits. */
    private static String withCheck(String first9, boolean bornIn2000OrLater) {
        long n = Long.parseLong(first9) + (bornIn2000OrLater ? 2_000_000_000L : 0L);
        return first9 + String.format("%02d", 97 - n % 97);
    }

    // Each vector was checked with CC = 97 - (first9 mod 97), or on 2_000_000_000 + first9.
    @ParameterizedTest
    @CsvSource({
            "85073003328, false, 1985-07-30",
            "17073003384, true,  2017-07-30",
            "93051822361, false, 1993-05-18",
            "00010100105, true,  2000-01-01",
            "05061512388, true,  2005-06-15",
            "99123100267, false, 1999-12-31",
            "80122499945, false, 1980-12-24",
    })
    void acceptsPublishedAndSyntheticVectors(String raw, boolean after2000, LocalDate birthDate) {
        Ssin ssin = Ssin.parse(raw);

        assertThat(ssin.value()).isEqualTo(raw);
        assertThat(ssin.bornIn2000OrLater()).isEqualTo(after2000);
        assertThat(ssin.birthDate()).contains(birthDate);
        assertThat(ssin.isBis()).isFalse();
        assertThat(Ssin.isValid(raw)).isTrue();
    }

    @Test
    void bisNumberWithMonthPlus40IsValidAndKeepsTheBirthDate() {
        Ssin bis = Ssin.parse("85473003317");

        assertThat(bis.isBis()).isTrue();
        assertThat(bis.bornIn2000OrLater()).isFalse();
        assertThat(bis.birthDate()).contains(LocalDate.of(1985, 7, 30));
    }

    @Test
    void bisNumberWithMonthPlus20SubtractsTwenty() {
        Ssin bis = Ssin.parse(withCheck("852730033", false));

        assertThat(bis.isBis()).isTrue();
        assertThat(bis.birthDate()).contains(LocalDate.of(1985, 7, 30));
    }

    @Test
    void post2000NumberFailsThePre2000RuleButIsAccepted() {
        String raw = "17073003384";
        long first9 = Long.parseLong(raw.substring(0, 9));
        assertThat(97 - first9 % 97).isNotEqualTo(84); // the pre-2000 rule alone would reject it

        assertThat(Ssin.parse(raw).bornIn2000OrLater()).isTrue();
    }

    @Test
    void exactlyOneCenturyMatchesForAnyFirstNineDigits() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String first9 = String.format("%02d%02d%02d%03d", random.nextInt(100), 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(1000));
            assertThat(Ssin.parse(withCheck(first9, false)).bornIn2000OrLater()).isFalse();
            assertThat(Ssin.parse(withCheck(first9, true)).bornIn2000OrLater()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"85.07.30-033.28", "85 07 30 033 28", " 85073003328 ", "85.07.30 - 033.28", "850730-03328"})
    void normalisesFormattedInput(String raw) {
        assertThat(Ssin.parse(raw).value()).isEqualTo("85073003328");
    }

    @Test
    void formatsAsYyMmDdNnnCc() {
        assertThat(Ssin.parse("85073003328").formatted()).isEqualTo("85.07.30-033.28");
    }

    @Test
    void toStringIsMasked() {
        Ssin ssin = Ssin.parse("85073003328");

        assertThat(ssin.toString()).isEqualTo("85.07.30-***.**");
        assertThat(ssin.toString()).doesNotContain("033").doesNotContain("28");
        assertThat("patient=" + ssin).doesNotContain("85073003328");
    }

    @Test
    void equalityIsOnTheDigits() {
        Ssin plain = Ssin.parse("85073003328");
        Ssin formatted = Ssin.parse("85.07.30-033.28");

        assertThat(plain).isEqualTo(formatted).hasSameHashCodeAs(formatted);
        assertThat(plain).isNotEqualTo(Ssin.parse("93051822361"));
    }

    @Test
    void rejectsOffByOneCheckDigitsWithoutEchoingTheNumber() {
        assertThatThrownBy(() -> Ssin.parse("85073003329"))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessage("SSIN check digits do not match")
                .extracting(e -> ((InvalidIdentifierException) e).reason())
                .isEqualTo("INVALID_SSIN");
        assertThat(Ssin.isValid("85073003329")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"850730033, 9", "8507300332, 10", "850730033280, 12", "8, 1"})
    void rejectsWrongLength(String raw, int length) {
        assertThatThrownBy(() -> Ssin.parse(raw))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessage("SSIN must have 11 digits, got " + length)
                .hasMessageNotContaining(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8507300332A", "85O73003328", "85_07_30_033_28", "８５073003328", "+85073003328"})
    void rejectsNonDigits(String raw) {
        assertThatThrownBy(() -> Ssin.parse(raw))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("only digits")
                .hasMessageNotContaining(raw);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void rejectsMissingInput(String raw) {
        assertThatThrownBy(() -> Ssin.parse(raw))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageStartingWith("SSIN is");
        assertThat(Ssin.isValid(raw)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"13", "19", "33", "39", "53", "99"})
    void rejectsImpossibleMonthEvenWithMatchingCheckDigits(String month) {
        String raw = withCheck("85" + month + "30033", false);

        assertThatThrownBy(() -> Ssin.parse(raw))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("month");
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "12", "20", "32", "40", "52"})
    void acceptsBoundaryMonths(String month) {
        assertThat(Ssin.isValid(withCheck("85" + month + "30033", false))).isTrue();
    }

    @Test
    void rejectsDayAbove31() {
        assertThatThrownBy(() -> Ssin.parse(withCheck("850732033", false)))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("day");
        assertThat(Ssin.isValid(withCheck("850731033", false))).isTrue();
    }

    @Test
    void birthDateIsEmptyWhenUnknownOrImpossible() {
        assertThat(Ssin.parse(withCheck("850000033", false)).birthDate()).isEmpty(); // month and day unknown
        assertThat(Ssin.parse(withCheck("850700033", false)).birthDate()).isEmpty(); // day unknown
        assertThat(Ssin.parse(withCheck("852000033", false)).birthDate()).isEmpty(); // BIS, month unknown
        assertThat(Ssin.parse(withCheck("854015033", false)).birthDate()).isEmpty(); // BIS, month unknown
        assertThat(Ssin.parse(withCheck("850230033", false)).birthDate()).isEmpty(); // 30 February
    }

    @Test
    void leapDayUsesTheInferredCentury() {
        // 2000 is a leap year, 1900 is not: the century must come from the check digits.
        assertThat(Ssin.parse(withCheck("000229033", true)).birthDate()).contains(LocalDate.of(2000, 2, 29));
        assertThat(Ssin.parse(withCheck("000229033", false)).birthDate()).isEmpty();
    }

    @Test
    void errorMessagesNeverContainTheInput() {
        for (String raw : new String[] {"85073003329", "850730033", "8513300332X", withCheck("851330033", false)}) {
            assertThatThrownBy(() -> Ssin.parse(raw)).hasMessageNotContaining(raw);
        }
    }
}
