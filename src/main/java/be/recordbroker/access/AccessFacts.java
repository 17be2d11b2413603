package be.recordbroker.access;

import java.util.List;
import java.util.Optional;

/**
 * Where the gate learns the facts it decides on (implemented over the hubs and the metahub). Every method either
 * answers or throws {@link FactUnavailableException}; the gate never guesses.
 */
public interface AccessFacts {

    /** The patient's consent, empty when none was ever registered. */
    Optional<ConsentFact> consent(String patientSsin);

    /** Whether the patient excluded this professional (by NIHII). */
    boolean excluded(String patientSsin, String professionalNihii);

    /** Every therapeutic link between the patient and the professional, whatever its dates. */
    List<TherapeuticLinkFact> therapeuticLinks(String patientSsin, String professionalNihii);

    /** Whether the document's hub holds a {@code disallow} access right for this professional on it. */
    boolean disallowed(DocumentRef document, String professionalNihii);

    /**
     * {@link #disallowed} when the answer is at hand without asking a hub (a cache), else empty. Lets a search check
     * the documents it already knows about on its own thread and hand only the others to its pool.
     */
    default Optional<Boolean> disallowedIfKnown(DocumentRef document, String professionalNihii) {
        return Optional.empty();
    }
}
