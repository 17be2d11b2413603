package be.recordbroker.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The merged answer of a federated search, with one {@link HubOutcome} per hub considered.
 *
 * <p>Every document must be about {@link #patient()}: mixing patients is a privacy incident, so
 * it is rejected here rather than trusted to each flow. Each hub appears at most once.
 *
 * @param patient   the patient searched for
 * @param documents the documents found, immutable
 * @param hubs      per-hub outcomes, immutable
 */
public record SearchResult(Ssin patient, List<DocumentEntry> documents, List<HubOutcome> hubs) {

    /** Validates the fields and copies the lists. */
    public SearchResult {
        Objects.requireNonNull(patient, "patient");
        documents = List.copyOf(documents);
        hubs = List.copyOf(hubs);
        for (DocumentEntry document : documents) {
            if (!document.patient().equals(patient)) {
                throw new IllegalArgumentException("document " + document.id().localId() + " belongs to another patient");
            }
        }
        Set<String> seen = new HashSet<>();
        for (HubOutcome outcome : hubs) {
            if (!seen.add(outcome.hub())) {
                throw new IllegalArgumentException("hub " + outcome.hub() + " reported twice");
            }
        }
    }

    /**
     * True if the caller can trust that no matching document is missing: at least one hub was
     * considered and every outcome is {@link HubStatus#OK} or {@link HubStatus#SKIPPED}.
     *
     * <p>SKIPPED counts as complete because, by its contract, it is only used for hubs that cannot
     * hold matching data (outside the scope, or no patient link in the metahub); nothing is lost.
     * Hubs that could not be asked use TIMEOUT / ERROR / CIRCUIT_OPEN, which make the result
     * incomplete. An empty outcome list is NOT complete: nothing was searched, and an empty list
     * must never look like "the patient has no documents".
     */
    public boolean complete() {
        return !hubs.isEmpty() && hubs.stream().noneMatch(outcome -> outcome.status().isFailure());
    }
}
