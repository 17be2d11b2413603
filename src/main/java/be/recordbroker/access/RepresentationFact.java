package be.recordbroker.access;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One registered way a citizen may act for another (docs/domain.md, R8), as the metahub states it: a parent for his
 * child, or a mandatary for his mandator. Facts only; {@link Representatives} applies the rules.
 *
 * @param patientBirthDate the represented patient's birth date (the parent's age limit), null when not given
 * @param endDate          the day it no longer holds (a mandate ended or revoked), null when open
 */
public record RepresentationFact(Kind kind, LocalDate patientBirthDate, LocalDate beginDate, LocalDate endDate) {

    /** How the representative is related to the patient. */
    public enum Kind { PARENT, MANDATARY }

    public RepresentationFact {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(beginDate, "beginDate");
    }

    /** Registered and not ended on {@code day}. */
    public boolean activeOn(LocalDate day) {
        return !beginDate.isAfter(day) && (endDate == null || day.isBefore(endDate));
    }
}
