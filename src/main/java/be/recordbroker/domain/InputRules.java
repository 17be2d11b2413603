package be.recordbroker.domain;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * The checks every face applies to what a caller sends, before the gate (web.RestInput, soap.SoapInput): a value is
 * refused when it holds a control character, is too long or does not match its pattern. A refused value never reaches
 * the gate nor an audit row; the face answers 400 problem+json or a SOAP client fault naming the parameter (never
 * echoing the value).
 */
public final class InputRules {

    /** A KMEHR CD-TRANSACTION code (and the REST {@code type} filter): letters, digits, dot, underscore, dash. */
    public static final Pattern TRANSACTION_CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** How many type codes one search may name. */
    public static final int MAX_TYPES = 32;
    /** A patient identifier as given (formatting allowed; the gate checks the SSIN itself). */
    public static final int MAX_SSIN_LENGTH = 32;
    /** A break-the-glass justification as given (the gate applies the policy's own, shorter, bounds). */
    public static final int MAX_BREAK_THE_GLASS = 1000;
    /** A document id as given (opaque; decoded after the face). */
    public static final int MAX_DOCUMENT_ID = 2048;
    /** Free text names (a professional's name, a profession code). */
    public static final int MAX_NAME = 256;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private InputRules() {
    }

    /** A value refused at the face: {@code parameter} names it, {@code problem} says why (never the value). */
    public static final class InvalidInputException extends RuntimeException {
        private final String parameter;

        public InvalidInputException(String parameter, String problem) {
            super(parameter + ": " + problem, null, false, false);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** Free text: no control character, at most {@code max} chars; null passes. */
    public static String text(String parameter, String value, int max) {
        if (value == null) {
            return null;
        }
        if (SafeText.hasControl(value)) {
            throw new InvalidInputException(parameter, "control characters are not allowed");
        }
        if (value.length() > max) {
            throw new InvalidInputException(parameter, "at most " + max + " characters");
        }
        return value;
    }

    /** A value matching {@code pattern} (after stripping spaces around it); null or blank passes as null. */
    public static String matching(String parameter, String value, Pattern pattern, String expected) {
        if (value == null || value.isBlank()) {
            return null;
        }
        text(parameter, value, 1024);
        String v = value.strip();
        if (!pattern.matcher(v).matches()) {
            throw new InvalidInputException(parameter, "expected " + expected);
        }
        return v;
    }

    /** A transaction type code. */
    public static String transactionCode(String parameter, String value) {
        return matching(parameter, value, TRANSACTION_CODE, "a code of 1 to 64 letters, digits, '.', '_' or '-'");
    }

    /** A date yyyy-mm-dd (a real day); null or blank passes as null. */
    public static LocalDate date(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        text(parameter, value, 32);
        try {
            return LocalDate.parse(value.strip(), DATE);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(parameter, "expected a date yyyy-mm-dd");
        }
    }

    /** An integer from {@code min} to {@code max}; null or blank gives {@code fallback}. */
    public static int integer(String parameter, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        text(parameter, value, 16);
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new InvalidInputException(parameter, "expected an integer from " + min + " to " + max);
    }

    /** An integer already parsed (SOAP) within bounds. */
    public static int bounded(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(parameter, "expected an integer from " + min + " to " + max);
        }
        return value;
    }
}
