package be.recordbroker.access;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Keeps each fact for a short time (default 30 s): per patient (consent), per patient and professional (exclusion,
 * links), per document and professional (access rights). Only answers are kept, never failures, so a hub that comes
 * back is asked again at once. The price of the cache: a consent revoked at the hub keeps counting here until its
 * entry expires (at most the TTL); {@link #forgetPatient} drops a patient's entries at once.
 */
public final class CachedAccessFacts implements AccessFacts {

    private final AccessFacts source;
    private final Cache<String, Optional<ConsentFact>> consents;
    private final Cache<String, Boolean> exclusions;
    private final Cache<String, List<TherapeuticLinkFact>> links;
    private final Cache<String, Boolean> disallows;

    public CachedAccessFacts(AccessFacts source, Duration ttl, long maximumEntries, Ticker ticker) {
        this.source = source;
        this.consents = cache(ttl, maximumEntries, ticker);
        this.exclusions = cache(ttl, maximumEntries, ticker);
        this.links = cache(ttl, maximumEntries, ticker);
        this.disallows = cache(ttl, maximumEntries, ticker);
    }

    @Override
    public Optional<ConsentFact> consent(String patientSsin) {
        return get(consents, patientSsin, k -> source.consent(patientSsin));
    }

    @Override
    public boolean excluded(String patientSsin, String professionalNihii) {
        return get(exclusions, patientSsin + '|' + professionalNihii, k -> source.excluded(patientSsin, professionalNihii));
    }

    @Override
    public List<TherapeuticLinkFact> therapeuticLinks(String patientSsin, String professionalNihii) {
        return get(links, patientSsin + '|' + professionalNihii,
                k -> List.copyOf(source.therapeuticLinks(patientSsin, professionalNihii)));
    }

    @Override
    public boolean disallowed(DocumentRef document, String professionalNihii) {
        return get(disallows, document.hub() + '|' + document.sourceLabel() + '|' + document.localId() + '|'
                + professionalNihii, k -> source.disallowed(document, professionalNihii));
    }

    /** Drops every cached fact about this patient (after a consent or link change known to the broker). */
    public void forgetPatient(String patientSsin) {
        consents.invalidate(patientSsin);
        String prefix = patientSsin + '|';
        exclusions.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        links.asMap().keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Drops everything. */
    public void forgetAll() {
        consents.invalidateAll();
        exclusions.invalidateAll();
        links.invalidateAll();
        disallows.invalidateAll();
    }

    private static <V> V get(Cache<String, V> cache, String key, Function<String, V> load) {
        // A FactUnavailableException thrown by load propagates and leaves nothing in the cache.
        return cache.get(key, load);
    }

    private static <V> Cache<String, V> cache(Duration ttl, long maximumEntries, Ticker ticker) {
        return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumEntries).ticker(ticker).build();
    }
}
