package be.recordbroker.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.LoadingCache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import be.recordbroker.access.AccessGate;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.access.FactUnavailableException;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.HubStatus;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.domain.SearchResult;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.kmehr.HubCallException;
import be.recordbroker.kmehr.HubTransactionLists;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.network.Network;

/**
 * The federated search, once the gate has allowed it: which hubs know the patient (the metahub, cached briefly; when
 * it cannot answer, every hub is asked and the page says so) → the hubs in parallel, each within its own timeout and
 * behind its own circuit breaker → merged, duplicates dropped (one document declared at two hubs), only what this
 * caller may list (matrix, {@code disallow}) → newest first → one page. A hub that failed is named with its status
 * ({@code timeout}, {@code error}, {@code circuit-open}); a hub that cannot hold the patient's data is {@code skipped}.
 */
public class FederatedSearch implements AutoCloseable {

    private final Network network;
    private final HubTransactionLists lists;
    private final LoadingCache<String, Set<String>> patientHubs;
    private final CircuitBreakerRegistry breakers;
    private final AccessGate gate;
    private final ExecutorService executor;
    private final String homeHub;
    private final java.util.function.Function<String, Duration> timeouts;
    private final MeterRegistry meters;

    /** Which hubs know a patient (the metahub's answers), for its hit-ratio metrics. */
    public LoadingCache<String, Set<String>> patientHubsCache() {
        return patientHubs;
    }

    public FederatedSearch(Network network, HubTransactionLists lists, LoadingCache<String, Set<String>> patientHubs,
                           CircuitBreakerRegistry breakers, AccessGate gate,
                           ExecutorService executor, String homeHub,
                           java.util.function.Function<String, Duration> timeouts, MeterRegistry meters) {
        this.network = network;
        this.lists = lists;
        this.patientHubs = patientHubs;
        this.breakers = breakers;
        this.gate = gate;
        this.executor = executor;
        this.homeHub = homeHub;
        this.timeouts = timeouts;
        this.meters = meters;
    }

    /**
     * @param caller        who searches (already allowed by the gate)
     * @param breakTheGlass the justification when the gate allowed the search that way (passed on to the hubs)
     */
    public SearchPage search(Professional caller, SearchQuery query, String breakTheGlass) {
        Timer.Sample whole = Timer.start(meters);
        String ssin = query.patient().value();
        List<Hub> all = network.hubs().all();
        Set<String> asked = new LinkedHashSet<>();
        boolean metahubAvailable = true;
        if (query.scope() == SearchScope.LOCAL) {
            asked.add(homeHub);
        } else {
            Set<String> known = null;
            try {
                known = patientHubs.get(ssin);
            } catch (HubCallException e) {
                metahubAvailable = false;
            }
            for (Hub hub : all) {
                if (known == null || known.contains(hub.ehpId())) {
                    asked.add(hub.code());
                }
            }
        }

        List<CompletableFuture<HubAnswer>> calls = new ArrayList<>();
        for (String code : asked) {
            calls.add(ask(code, caller, query, breakTheGlass));
        }
        List<HubOutcome> outcomes = new ArrayList<>();
        List<DocumentEntry> found = new ArrayList<>();
        for (CompletableFuture<HubAnswer> call : calls) {
            HubAnswer answer = call.join();
            outcomes.add(answer.outcome());
            found.addAll(answer.documents());
        }
        for (Hub hub : all) {
            if (!asked.contains(hub.code())) {
                outcomes.add(new HubOutcome(hub.code(), HubStatus.SKIPPED, query.scope() == SearchScope.LOCAL
                        ? "local search: only hub " + homeHub + " is asked" : "the metahub does not link the patient to this hub", 0));
            }
        }

        // the access rights of every document: those in the gate's fact cache at once on this thread, the others
        // asked in parallel (a hand-off per document cost more than the cached lookup itself)
        List<DocumentEntry> unique = withoutDuplicates(found);
        List<CompletableFuture<Boolean>> checks = unique.stream()
                .map(d -> listableIfKnown(caller, d).map(CompletableFuture::completedFuture)
                        .orElseGet(() -> CompletableFuture.supplyAsync(() -> listable(caller, d), executor))).toList();
        Set<String> rightsUnavailable = new HashSet<>();
        List<DocumentEntry> shown = new ArrayList<>();
        for (int i = 0; i < unique.size(); i++) {
            Boolean listable = checks.get(i).exceptionally(e -> null).join();
            if (listable == null) {
                // fail closed, and say so: the hub's list is then incomplete for this caller
                rightsUnavailable.add(hubCode(unique.get(i)));
            } else if (listable) {
                shown.add(unique.get(i));
            }
        }
        if (!rightsUnavailable.isEmpty()) {
            outcomes.replaceAll(o -> rightsUnavailable.contains(o.hub()) && o.status() == HubStatus.OK
                    ? new HubOutcome(o.hub(), HubStatus.ERROR, "access rights could not be fetched: documents hidden",
                    o.tookMs()) : o);
        }
        List<DocumentEntry> visible = shown.stream()
                .sorted(Comparator.comparing(DocumentEntry::dateTime).reversed()
                        .thenComparing(d -> d.id().encode()))
                .toList();
        int from = Math.min(visible.size(), query.page() * query.pageSize());
        int to = Math.min(visible.size(), from + query.pageSize());
        whole.stop(meters.timer("rb.search.duration", "complete",
                Boolean.toString(outcomes.stream().noneMatch(o -> o.status().isFailure()))));
        return new SearchPage(new SearchResult(query.patient(), visible.subList(from, to), outcomes), visible.size(),
                query.page(), query.pageSize(), metahubAvailable);
    }

    /** Drops the metahub's cached "which hubs know this patient" (a merge, a revocation announced by ops). */
    public void forgetPatient(String patientSsin) {
        patientHubs.invalidate(patientSsin);
    }

    /** Stops the hub-calling threads. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private record HubAnswer(HubOutcome outcome, List<DocumentEntry> documents) {
    }

    private CompletableFuture<HubAnswer> ask(String code, Professional caller, SearchQuery query, String breakTheGlass) {
        CircuitBreaker breaker = breakers.circuitBreaker(code);
        Duration timeout = timeouts.apply(code);
        long asked = System.nanoTime();
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(answer(code, HubStatus.CIRCUIT_OPEN,
                    "circuit breaker open after repeated failures", asked, List.of()));
        }
        // The hub's timeout runs from the moment its call starts on a hub-calling thread, not from when it was
        // handed over: time waiting for a thread inside the broker is not the hub's (issue 13). A call that has not
        // started within the hub's timeout is given up without being made, and not held against the hub.
        CompletableFuture<List<DocumentEntry>> call = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong(); // 0: queued
        Runnable hubCall = () -> {
            if (!started.compareAndSet(0, System.nanoTime())) {
                return; // given up while queued
            }
            call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                // searchtype local at every hub: the broker itself is the federation (a global search at each hub
                // would make each of them ask the others again)
                call.complete(lists.list(code, query.patient().value(), query.types(), query.from(), query.to(), false,
                        Kmehr.actingParty(caller), breakTheGlass));
            } catch (Throwable failure) {
                call.completeExceptionally(failure);
            }
        };
        try {
            executor.execute(hubCall);
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (started.compareAndSet(0, -1)) {
                    call.completeExceptionally(new NotStarted());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            started.set(-1);
            call.completeExceptionally(new NotStarted());
        }
        return call.handle((documents, failure) -> {
            long began = started.get();
            long took = System.nanoTime() - (began > 0 ? began : asked);
            if (failure == null) {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                return answer(code, HubStatus.OK, null, asked, documents);
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof NotStarted) {
                breaker.releasePermission(); // the broker's own congestion: neither a success nor a failure of the hub
                meters.counter("rb.search.hub.not.started", "hub", code).increment();
                return answer(code, HubStatus.ERROR, "not asked: record-broker had no free hub-calling thread", asked,
                        List.of());
            }
            breaker.onError(took, TimeUnit.NANOSECONDS, cause);
            if (cause instanceof TimeoutException || isTimeout(cause)) {
                return answer(code, HubStatus.TIMEOUT, "no answer within " + timeout.toMillis() + " ms", asked,
                        List.of());
            }
            return answer(code, HubStatus.ERROR, cause instanceof HubCallException ? cause.getMessage()
                    : cause.getClass().getSimpleName(), asked, List.of());
        });
    }

    /** A hub call given up before it started (no hub-calling thread came free in time). */
    private static final class NotStarted extends RuntimeException {
        NotStarted() {
            super("not started", null, false, false);
        }
    }

    private HubAnswer answer(String code, HubStatus status, String error, long start, List<DocumentEntry> documents) {
        long tookNanos = System.nanoTime() - start;
        meters.timer("rb.search.hub.duration", "hub", code, "outcome", status.wire())
                .record(tookNanos, TimeUnit.NANOSECONDS);
        return new HubAnswer(new HubOutcome(code, status, error, TimeUnit.NANOSECONDS.toMillis(tookNanos)), documents);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A CXF receive timeout surfaces as a SocketTimeoutException somewhere down the cause chain. */
    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * One document declared at two hubs shows once: the same content hash, or (without one) the same author
     * institution, type, date and title. The first hub in network order keeps it.
     */
    static List<DocumentEntry> withoutDuplicates(List<DocumentEntry> documents) {
        Set<String> seen = new HashSet<>();
        List<DocumentEntry> unique = new ArrayList<>();
        for (DocumentEntry d : documents) {
            String key = d.sha256() != null ? "sha256:" + d.sha256()
                    : String.join("|", d.authorInstitution() == null ? "-" : d.authorInstitution().nihii().value(),
                    d.type(), d.dateTime().toInstant().toString(), d.title().toLowerCase(Locale.ROOT));
            if (seen.add(key)) {
                unique.add(d);
            }
        }
        return unique;
    }

    private String hubCode(DocumentEntry d) {
        return network.hubs().byEhpId(d.id().hubEhpId()).map(Hub::code).orElseThrow();
    }

    /** @throws FactUnavailableException when the document's access rights cannot be fetched */
    private boolean listable(Professional caller, DocumentEntry d) {
        return gate.listable(caller, ref(d));
    }

    private java.util.Optional<Boolean> listableIfKnown(Professional caller, DocumentEntry d) {
        return gate.listableIfKnown(caller, ref(d));
    }

    private DocumentRef ref(DocumentEntry d) {
        // no id: the unsealed form names the patient, and the gate needs only hub, SL and local id here
        return new DocumentRef(hubCode(d), d.id().sourceLabel(), d.id().localId(), d.type(), null);
    }
}
