package be.recordbroker.domain;

/** Which check-digit rule a parsed {@link Nihii} is known to satisfy. */
public enum NihiiCheck {
    /** Digits 7-8 equal {@code 97 - (first 6 digits mod 97)}. */
    CLASSIC_97,
    /**
     * The classic check failed. The number may still be valid under INAMI's newer modulo-89 rule,
     * whose formula is not published; confirm it against CoBRHA / the AddressBook if it matters.
     */
    UNVERIFIED
}
