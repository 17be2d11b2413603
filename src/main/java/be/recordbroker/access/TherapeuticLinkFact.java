package be.recordbroker.access;

import java.time.LocalDate;
import java.util.Objects;

/** A therapeutic link between the patient and the professional, as the hub reports it (expired ones included). */
public record TherapeuticLinkFact(String type, LocalDate startDate, LocalDate endDate) {

    public TherapeuticLinkFact {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(startDate, "startDate");
    }
}
