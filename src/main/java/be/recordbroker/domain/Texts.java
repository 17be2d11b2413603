package be.recordbroker.domain;

/** Argument checks shared by the value records. Package-private on purpose. */
final class Texts {

    private Texts() {
    }

    static String requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Null stays null (field is optional), but an empty or blank string is a caller bug. */
    static String nullOrNonBlank(String value, String name) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " must be null or non-blank");
        }
        return value;
    }
}
