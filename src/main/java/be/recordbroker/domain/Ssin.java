package be.recordbroker.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Belgian social security identification number (SSIN / INSZ / NISS), including BIS numbers.
 *
 * <p>Layout {@code YYMMDD NNN CC}: birth date, day counter, check digits. BIS numbers add 20
 * (sex unknown) or 40 (sex known) to the month. The check digits are
 * {@code 97 - (first9 mod 97)}, computed on {@code 2_000_000_000 + first9} for people born in
 * 2000 or later. Because {@code 2·10^9 mod 97 = 68}, at most one century can match, which is
 * how {@link #bornIn2000OrLater()} is inferred.
 *
 * <p><b>Privacy:</b> {@link #toString()} is masked ({@code 85.07.30-***.**}) so that an accidental
 * log line or string concatenation never prints the full number. Use {@link #value()} (or
 * {@link #formatted()}) when the full number is really needed, e.g. on the wire.
 *
 * <p>Equality is on the 11 digits. Instances are immutable and thread-safe.
 */
public final class Ssin {

    private static final int LENGTH = 11;
    private static final long YEAR_2000_OFFSET = 2_000_000_000L;

    private final String value;
    private final boolean bornIn2000OrLater;

    private Ssin(String value, boolean bornIn2000OrLater) {
        this.value = value;
        this.bornIn2000OrLater = bornIn2000OrLater;
    }

    /**
     * Parses an SSIN given as 11 digits or formatted ({@code 85.07.30-033.28}); dots, dashes,
     * slashes and whitespace are ignored.
     *
     * @throws InvalidIdentifierException with reason {@code INVALID_SSIN}; the message says what is
     *                                    wrong but never repeats the input
     */
    public static Ssin parse(String raw) {
        if (raw == null) {
            throw invalid("SSIN is missing");
        }
        if (raw.isBlank()) {
            throw invalid("SSIN is blank");
        }
        String digits = Digits.stripSeparators(raw);
        if (!Digits.isAsciiDigits(digits)) {
            throw invalid("SSIN must contain only digits, optionally formatted as YY.MM.DD-NNN.CC");
        }
        if (digits.length() != LENGTH) {
            throw invalid("SSIN must have " + LENGTH + " digits, got " + digits.length());
        }
        int month = Digits.intAt(digits, 2, 4);
        if (!isValidMonthField(month)) {
            throw invalid("SSIN month field is out of range (00-12, or 20-32 / 40-52 for a BIS number)");
        }
        int day = Digits.intAt(digits, 4, 6);
        if (day > 31) {
            throw invalid("SSIN day field is out of range (00-31)");
        }
        long first9 = Long.parseLong(digits.substring(0, 9));
        int check = Digits.intAt(digits, 9, 11);
        // Try both centuries; the two results always differ (see class javadoc), so at most one matches.
        if (check == checkDigits(first9)) {
            return new Ssin(digits, false);
        }
        if (check == checkDigits(YEAR_2000_OFFSET + first9)) {
            return new Ssin(digits, true);
        }
        throw invalid("SSIN check digits do not match");
    }

    /** True if {@link #parse(String)} would accept {@code raw}. Never throws. */
    public static boolean isValid(String raw) {
        try {
            parse(raw);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** The full 11-digit number. This is the only way (with {@link #formatted()}) to get it. */
    public String value() {
        return value;
    }

    /** The full number formatted as {@code YY.MM.DD-NNN.CC}. */
    public String formatted() {
        return value.substring(0, 2) + '.' + value.substring(2, 4) + '.' + value.substring(4, 6)
                + '-' + value.substring(6, 9) + '.' + value.substring(9, 11);
    }

    /** True for a BIS number (month field increased by 20 or 40). */
    public boolean isBis() {
        return monthField() >= 20;
    }

    /** True if the check digits match the rule for people born in 2000 or later. */
    public boolean bornIn2000OrLater() {
        return bornIn2000OrLater;
    }

    /**
     * The birth date, when the number encodes a complete one. Empty when the month or day is
     * {@code 00} (unknown; for BIS numbers month 20/40), or when the fields do not form a real
     * calendar date (e.g. 30 February), which the registry does use for some numbers.
     */
    public Optional<LocalDate> birthDate() {
        int month = monthField() % 20; // removes the BIS +20 / +40; valid fields are 0-12, 20-32, 40-52
        int day = Digits.intAt(value, 4, 6);
        if (month == 0 || day == 0) {
            return Optional.empty();
        }
        int year = (bornIn2000OrLater ? 2000 : 1900) + Digits.intAt(value, 0, 2);
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Ssin other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Masked form, e.g. {@code 85.07.30-***.**}. Deliberately NOT the full number; see {@link #value()}. */
    @Override
    public String toString() {
        return formatted().substring(0, 9) + "***.**";
    }

    private int monthField() {
        return Digits.intAt(value, 2, 4);
    }

    private static boolean isValidMonthField(int month) {
        return month <= 12 || (month >= 20 && month <= 32) || (month >= 40 && month <= 52);
    }

    /** 97 - (n mod 97): always in 1..97, never 0. */
    private static int checkDigits(long n) {
        return (int) (97 - (n % 97));
    }

    private static InvalidIdentifierException invalid(String message) {
        return new InvalidIdentifierException(InvalidIdentifierException.INVALID_SSIN, message);
    }
}
