package be.recordbroker.access;

import java.util.List;

/** Where the gate learns who may act for whom (the metahub); answers or throws {@link FactUnavailableException}. */
@FunctionalInterface
public interface RepresentationFacts {

    /** Every registration of {@code representativeSsin} for {@code patientSsin}, ended ones included. */
    List<RepresentationFact> representations(String representativeSsin, String patientSsin);

    /** No representation anywhere (a network without the service; tests). */
    static RepresentationFacts none() {
        return (representative, patient) -> List.of();
    }
}
