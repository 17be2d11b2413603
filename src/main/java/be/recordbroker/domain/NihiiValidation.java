package be.recordbroker.domain;

/**
 * How strictly {@link Nihii#parse(String, NihiiValidation)} checks the check digits.
 *
 * <p>INAMI switched new numbers to an unpublished modulo-89 check (nurses and midwives since 2013,
 * physicians since 1 April 2019), so a genuine number may fail the classic modulo-97 check.
 */
public enum NihiiValidation {
    /** Accept numbers failing the classic check, flagged as {@link NihiiCheck#UNVERIFIED}. */
    LENIENT,
    /** Reject numbers failing the classic modulo-97 check. */
    STRICT
}
