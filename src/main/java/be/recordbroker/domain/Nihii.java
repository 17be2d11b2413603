package be.recordbroker.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * Belgian NIHII / RIZIV / INAMI number of a care professional or institution.
 *
 * <p>11 digits for a professional: profession digit, 5-digit sequence, 2 check digits and a
 * 3-digit qualification code. 8 digits for an institution, or for a professional without
 * qualification. The first 8 digits ({@link #identity()}) are stable for a whole career; the
 * qualification changes (e.g. a trainee who becomes a GP).
 *
 * <p>Equality is on all digits, so the same person with two qualifications gives two unequal
 * values; use {@link #sameIdentityAs(Nihii)} to compare people. Immutable and thread-safe.
 */
public final class Nihii {

    private static final int IDENTITY_LENGTH = 8;
    private static final int FULL_LENGTH = 11;

    private final String value;
    private final NihiiCheck check;

    private Nihii(String value, NihiiCheck check) {
        this.value = value;
        this.check = check;
    }

    /**
     * Parses 8 or 11 digits; separators '-', '.', '/' and whitespace are ignored
     * ({@code 1-23456-25-001}).
     *
     * @param mode {@link NihiiValidation#STRICT} rejects numbers failing the classic check,
     *             {@link NihiiValidation#LENIENT} accepts them as {@link NihiiCheck#UNVERIFIED}
     * @throws InvalidIdentifierException with reason {@code INVALID_NIHII}
     */
    public static Nihii parse(String raw, NihiiValidation mode) {
        Objects.requireNonNull(mode, "mode");
        // Messages never repeat the input: an SSIN passed here by mistake is 11 digits too.
        if (raw == null || raw.isBlank()) {
            throw invalid("NIHII is missing");
        }
        String digits = Digits.stripSeparators(raw);
        if (!Digits.isAsciiDigits(digits)) {
            throw invalid("NIHII must contain only digits and separators");
        }
        if (digits.length() != IDENTITY_LENGTH && digits.length() != FULL_LENGTH) {
            throw invalid("NIHII must have 8 or 11 digits, got " + digits.length());
        }
        NihiiCheck check = passesClassicCheck(digits) ? NihiiCheck.CLASSIC_97 : NihiiCheck.UNVERIFIED;
        if (check == NihiiCheck.UNVERIFIED && mode == NihiiValidation.STRICT) {
            throw invalid("NIHII check digits do not match the modulo-97 rule");
        }
        return new Nihii(digits, check);
    }

    /** All digits (8 or 11). */
    public String value() {
        return value;
    }

    /** The first 8 digits: profession, sequence and check digits; stable across a career. */
    public String identity() {
        return value.substring(0, IDENTITY_LENGTH);
    }

    /** The 3-digit qualification code, present only for an 11-digit number. */
    public Optional<String> qualification() {
        return value.length() == FULL_LENGTH ? Optional.of(value.substring(IDENTITY_LENGTH)) : Optional.empty();
    }

    /** The first digit (1 physician, 3 dentist, 4 nurse/midwife, 7 hospital, ...). */
    public int professionDigit() {
        return value.charAt(0) - '0';
    }

    /** Which rule the check digits satisfy. */
    public NihiiCheck check() {
        return check;
    }

    /** True if the classic modulo-97 check passed. */
    public boolean checkVerified() {
        return check == NihiiCheck.CLASSIC_97;
    }

    /** True if both numbers have the same 8-digit identity, whatever their qualification. */
    public boolean sameIdentityAs(Nihii other) {
        return other != null && identity().equals(other.identity());
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Nihii other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The digits; a NIHII is a public professional identifier, not patient data. */
    @Override
    public String toString() {
        return value;
    }

    /**
     * Digits 7-8 must equal {@code 97 - (first6 mod 97)}, a value in 1..97 (so "00" never passes
     * and "97" is a legitimate two-digit field). Same rule as icure's checkInami.
     */
    private static boolean passesClassicCheck(String digits) {
        int first6 = Digits.intAt(digits, 0, 6);
        int stored = Digits.intAt(digits, 6, 8);
        return stored == 97 - (first6 % 97);
    }

    private static InvalidIdentifierException invalid(String message) {
        return new InvalidIdentifierException(InvalidIdentifierException.INVALID_NIHII, message);
    }
}
