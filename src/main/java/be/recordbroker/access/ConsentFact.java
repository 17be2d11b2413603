package be.recordbroker.access;

import java.time.LocalDate;
import java.util.Objects;

/** The patient's national consent as a hub reports it: signed on a day, maybe revoked on a later one. */
public record ConsentFact(LocalDate signDate, LocalDate revokeDate) {

    public ConsentFact {
        Objects.requireNonNull(signDate, "signDate");
    }

    /** Active from its sign date; a consent revoked on a day no longer holds on that day. */
    public boolean activeOn(LocalDate day) {
        return !signDate.isAfter(day) && (revokeDate == null || day.isBefore(revokeDate));
    }
}
