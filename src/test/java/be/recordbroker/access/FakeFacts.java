package be.recordbroker.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Facts set up by a test; counts the questions asked; can be made to fail like an unreachable hub. */
final class FakeFacts implements AccessFacts {

    final Map<String, ConsentFact> consents = new HashMap<>();
    final Set<String> exclusions = new HashSet<>();
    final Map<String, List<TherapeuticLinkFact>> links = new HashMap<>();
    final Set<String> disallows = new HashSet<>();
    final AtomicInteger questions = new AtomicInteger();
    boolean down;

    FakeFacts consent(String ssin, ConsentFact consent) {
        consents.put(ssin, consent);
        return this;
    }

    FakeFacts link(String ssin, String nihii, TherapeuticLinkFact link) {
        links.computeIfAbsent(ssin + "|" + nihii, k -> new ArrayList<>()).add(link);
        return this;
    }

    FakeFacts exclude(String ssin, String nihii) {
        exclusions.add(ssin + "|" + nihii);
        return this;
    }

    FakeFacts disallow(DocumentRef document, String nihii) {
        disallows.add(document.localId() + "|" + nihii);
        return this;
    }

    private void ask() {
        questions.incrementAndGet();
        if (down) {
            throw new FactUnavailableException("hub rsb could not be reached", null);
        }
    }

    @Override
    public Optional<ConsentFact> consent(String patientSsin) {
        ask();
        return Optional.ofNullable(consents.get(patientSsin));
    }

    @Override
    public boolean excluded(String patientSsin, String professionalNihii) {
        ask();
        return exclusions.contains(patientSsin + "|" + professionalNihii);
    }

    @Override
    public List<TherapeuticLinkFact> therapeuticLinks(String patientSsin, String professionalNihii) {
        ask();
        return links.getOrDefault(patientSsin + "|" + professionalNihii, List.of());
    }

    @Override
    public boolean disallowed(DocumentRef document, String professionalNihii) {
        ask();
        return disallows.contains(document.localId() + "|" + professionalNihii);
    }
}
