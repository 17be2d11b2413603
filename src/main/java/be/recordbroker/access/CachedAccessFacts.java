package be.recordbroker.access;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Keeps each fact for a short time (default 30 s): per patient (consent), per patient and professional (exclusion,
 * links), per document and professional (access rights). Only answers are kept, never failures, so a hub that comes
 * back is asked again at once. The price of the cache: a consent revoked at the hub keeps counting here until its
 * entry expires (at most the TTL); {@link #forgetPatient} drops a patient's entries at once.
 *
 * <p>An entry asked for after its refresh point (default 20 s) is answered at once and fetched again in the
 * background, so a patient whose record is open does not make one request every TTL wait for the hubs (one question
 * per fact, each a hub round trip). A refresh that fails leaves the old answer to expire at its TTL as before.
 */
public final class CachedAccessFacts implements AccessFacts {

    private record PatientProfessional(String patientSsin, String professionalNihii) {
    }

    /** One document (hub, SL and local id: the rest of the reference does not change the answer) and professional. */
    private record DocumentProfessional(DocumentRef document, String professionalNihii) {
        @Override
        public boolean equals(Object o) {
            return o instanceof DocumentProfessional other && professionalNihii.equals(other.professionalNihii)
                    && document.hub().equals(other.document.hub())
                    && document.sourceLabel().equals(other.document.sourceLabel())
                    && document.localId().equals(other.document.localId());
        }

        @Override
        public int hashCode() {
            return Objects.hash(document.hub(), document.sourceLabel(), document.localId(), professionalNihii);
        }
    }

    private final LoadingCache<String, Optional<ConsentFact>> consents;
    private final LoadingCache<PatientProfessional, Boolean> exclusions;
    private final LoadingCache<PatientProfessional, List<TherapeuticLinkFact>> links;
    private final LoadingCache<DocumentProfessional, Boolean> disallows;

    /** No background refresh: an entry is fetched again only once it has expired. */
    public CachedAccessFacts(AccessFacts source, Duration ttl, long maximumEntries, Ticker ticker) {
        this(source, ttl, null, maximumEntries, ticker, Runnable::run);
    }

    /**
     * @param refreshAfter age after which a read also fetches the fact again in the background (null or not below
     *                     {@code ttl}: never)
     * @param refresher    runs the background fetches (they are hub round trips: not the common pool)
     */
    public CachedAccessFacts(AccessFacts source, Duration ttl, Duration refreshAfter, long maximumEntries,
                             Ticker ticker, Executor refresher) {
        // A FactUnavailableException thrown by a load propagates and leaves nothing in the cache.
        this.consents = refreshingCache(ttl, refreshAfter, maximumEntries, ticker, refresher, source::consent);
        this.exclusions = refreshingCache(ttl, refreshAfter, maximumEntries, ticker, refresher,
                k -> source.excluded(k.patientSsin(), k.professionalNihii()));
        this.links = refreshingCache(ttl, refreshAfter, maximumEntries, ticker, refresher,
                k -> List.copyOf(source.therapeuticLinks(k.patientSsin(), k.professionalNihii())));
        this.disallows = refreshingCache(ttl, refreshAfter, maximumEntries, ticker, refresher,
                k -> source.disallowed(k.document(), k.professionalNihii()));
    }

    /** The caches by the name their metrics carry ({@code cache} tag): consent, exclusion, link, disallow. */
    public java.util.Map<String, com.github.benmanes.caffeine.cache.Cache<?, ?>> caches() {
        return java.util.Map.of("facts-consent", consents, "facts-exclusion", exclusions, "facts-link", links,
                "facts-disallow", disallows);
    }

    @Override
    public Optional<ConsentFact> consent(String patientSsin) {
        return consents.get(patientSsin);
    }

    @Override
    public boolean excluded(String patientSsin, String professionalNihii) {
        return exclusions.get(new PatientProfessional(patientSsin, professionalNihii));
    }

    @Override
    public List<TherapeuticLinkFact> therapeuticLinks(String patientSsin, String professionalNihii) {
        return links.get(new PatientProfessional(patientSsin, professionalNihii));
    }

    @Override
    public boolean disallowed(DocumentRef document, String professionalNihii) {
        return disallows.get(new DocumentProfessional(document, professionalNihii));
    }

    /** The cached answer, if there is one that has not expired (an ageing one is refreshed in the background). */
    @Override
    public Optional<Boolean> disallowedIfKnown(DocumentRef document, String professionalNihii) {
        return Optional.ofNullable(disallows.getIfPresent(new DocumentProfessional(document, professionalNihii)));
    }

    /**
     * Drops every cached fact about this patient (after a consent or link change known to the broker). Not a
     * document's access rights (disallow): they are the author's, kept per document and professional (no patient in
     * the key), and end with their TTL.
     */
    public void forgetPatient(String patientSsin) {
        consents.invalidate(patientSsin);
        exclusions.asMap().keySet().removeIf(k -> k.patientSsin().equals(patientSsin));
        links.asMap().keySet().removeIf(k -> k.patientSsin().equals(patientSsin));
    }

    /** Drops everything. */
    public void forgetAll() {
        consents.invalidateAll();
        exclusions.invalidateAll();
        links.invalidateAll();
        disallows.invalidateAll();
    }

    /**
     * Entries kept {@code ttl}; once older than {@code refreshAfter} a read is still answered and the entry loaded
     * again on {@code refresher} (null, zero or not below {@code ttl}: no refresh). Used for the access facts and
     * for the metahub's "which hubs know this patient".
     */
    public static <K, V> LoadingCache<K, V> refreshingCache(Duration ttl, Duration refreshAfter, long maximumEntries,
                                                            Ticker ticker, Executor refresher, CacheLoader<K, V> load) {
        // recordStats: hits and misses for the cache_gets metrics (ops.OpsMetricsConfiguration); LongAdders, cheap
        Caffeine<Object, Object> builder = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumEntries)
                .ticker(ticker).executor(refresher).recordStats();
        if (refreshAfter != null && !refreshAfter.isZero() && refreshAfter.compareTo(ttl) < 0) {
            builder.refreshAfterWrite(refreshAfter);
        }
        return builder.build(load);
    }
}
