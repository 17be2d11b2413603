package be.recordbroker.domain;

import java.util.Objects;

/**
 * A care institution (hospital, lab, ...) identified by its NIHII.
 *
 * @param nihii the institution's NIHII, usually 8 digits
 * @param name  display name, non-blank
 */
public record Institution(Nihii nihii, String name) {

    /** Validates the fields. */
    public Institution {
        Objects.requireNonNull(nihii, "nihii");
        Texts.requireNonBlank(name, "institution name");
    }
}
