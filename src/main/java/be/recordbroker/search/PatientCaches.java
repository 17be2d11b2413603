package be.recordbroker.search;

import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import be.recordbroker.access.CachedAccessFacts;
import be.recordbroker.access.Representatives;

/**
 * What this instance keeps about a patient for a short while (issue 14): the access facts from the hubs (consent,
 * exclusions, links), the metahub's "which hubs know this patient", and who represents whom. {@link #forget} drops
 * them at once — after a change the broker learns of (an A40 merge it applied; an ops call after a hub's revocation
 * notice) — so the next request asks the hubs again instead of answering from an entry up to its TTL old. The
 * announcement to the other instances is the route's (routes/FactsInvalidationRoutes).
 */
public final class PatientCaches {

    /** Send a patient's SSIN as the body: forgotten on this instance, then announced to the others (routes/FactsInvalidationRoutes). */
    public static final String FORGET_EVERYWHERE = "direct:forget-patient-facts";

    private final CachedAccessFacts facts;
    private final FederatedSearch search;
    private final Representatives representatives;
    private final Counter forgottenHere;
    private final Counter forgottenForPeer;

    public PatientCaches(CachedAccessFacts facts, FederatedSearch search, Representatives representatives,
                         MeterRegistry meters) {
        this.facts = Objects.requireNonNull(facts, "facts");
        this.search = Objects.requireNonNull(search, "search");
        this.representatives = Objects.requireNonNull(representatives, "representatives");
        this.forgottenHere = Counter.builder("rb_patient_caches_forgotten").tag("origin", "this-instance")
                .description("Patients whose cached facts were dropped at once, by where the change was learnt")
                .register(meters);
        this.forgottenForPeer = Counter.builder("rb_patient_caches_forgotten").tag("origin", "other-instance")
                .description("Patients whose cached facts were dropped at once, by where the change was learnt")
                .register(meters);
    }

    /** Drops every cached fact about this patient; {@code announcedByPeer}: the change was learnt by another instance. */
    public void forget(String patientSsin, boolean announcedByPeer) {
        facts.forgetPatient(patientSsin);
        search.forgetPatient(patientSsin);
        representatives.forgetPatient(patientSsin);
        (announcedByPeer ? forgottenForPeer : forgottenHere).increment();
    }
}
