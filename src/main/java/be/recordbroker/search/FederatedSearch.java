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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.LoadingCache;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;

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
 * The federated search, once the gate has allowed it, as the steps of the {@code federated-search} route
 * (routes/FederatedSearchRoutes.java): {@link #locate} which hubs know the patient (the metahub, cached briefly; when it
 * cannot answer, every hub is asked and the page says so) → each hub asked in parallel ({@link #call}, {@link #list},
 * {@link #failed}: within its own timeout, behind its own circuit breaker) → merged ({@link HubAnswersMerge}) →
 * {@link #filter}: duplicates dropped (one document declared at two hubs), only what this caller may list (matrix,
 * {@code disallow}) → {@link #page}: newest first, one page. A hub that failed is named with its status
 * ({@code timeout}, {@code error}, {@code circuit-open}); a hub that cannot hold the patient's data is {@code skipped};
 * a hub still out when the search's deadline passes is {@code timeout}.
 */
public class FederatedSearch implements AutoCloseable {

    /** The route that runs a search (routes/FederatedSearchRoutes.java). */
    public static final String ROUTE = "direct:federated-search";

    private final Network network;
    private final HubTransactionLists lists;
    private final LoadingCache<String, Set<String>> patientHubs;
    private final AccessGate gate;
    private final ExecutorService executor;
    private final String homeHub;
    private final Function<String, Duration> timeouts;
    private final Duration deadline;
    private final MeterRegistry meters;
    private final ProducerTemplate searches;
    private volatile Endpoint searchRoute;
    /**
     * The search's timers by their tags, each looked up in the registry once: a lookup sorts and hashes the tags, and
     * a search recorded four (one per hub, one for the search).
     */
    private final java.util.concurrent.ConcurrentMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    /** Which hubs know a patient (the metahub's answers), for its hit-ratio metrics. */
    public LoadingCache<String, Set<String>> patientHubsCache() {
        return patientHubs;
    }

    /**
     * @param executor the hub-calling threads (the fan-out's, and the access-rights fetches)
     * @param timeouts each hub's timeout: how long its call, made on a hub-calling thread, waits for the hub to send
     * @param deadline how long the fan-out waits for all its hubs together (issue 13: time waiting inside the broker
     *                 for a hub-calling thread counts here, not against the hub)
     * @param searches     runs each search through the {@code federated-search} route
     */
    public FederatedSearch(Network network, HubTransactionLists lists, LoadingCache<String, Set<String>> patientHubs,
                           AccessGate gate, ExecutorService executor, String homeHub,
                           Function<String, Duration> timeouts, Duration deadline, MeterRegistry meters,
                           ProducerTemplate searches) {
        this.network = network;
        this.lists = lists;
        this.patientHubs = patientHubs;
        this.gate = gate;
        this.executor = executor;
        this.homeHub = homeHub;
        this.timeouts = timeouts;
        this.deadline = deadline;
        this.meters = meters;
        this.searches = searches;
    }

    /**
     * Runs one search through the {@code federated-search} route, on the calling thread until the hubs are asked.
     *
     * @param caller        who searches (already allowed by the gate)
     * @param breakTheGlass the justification when the gate allowed the search that way (passed on to the hubs)
     */
    public SearchPage search(Professional caller, SearchQuery query, String breakTheGlass) {
        Endpoint route = searchRoute;
        if (route == null) { // looked up once: by URI, each search normalised and looked the URI up again
            route = searchRoute = searches.getCamelContext().getEndpoint(ROUTE);
        }
        return searches.requestBody(route, new SearchRun(caller, query, breakTheGlass), SearchPage.class);
    }

    public ExecutorService hubCallingThreads() {
        return executor;
    }

    /** The hub's timeout in a search: how long its call waits for the hub (the call's receive timeout). */
    public Duration hubTimeout(String hubCode) {
        return timeouts.apply(hubCode);
    }

    /** Each hub's code, in network order (one hub route each). */
    public List<String> hubCodes() {
        return network.hubs().all().stream().map(Hub::code).toList();
    }

    public Duration deadline() {
        return deadline;
    }

    // ------------------------------------------------------------------ the route's steps

    /** locate: the hubs to ask, as the fan-out's recipients ({@code direct:hub-<code>}); the others are skipped. */
    public List<String> locate(SearchRun run) {
        SearchQuery query = run.query();
        List<Hub> all = network.hubs().all();
        Set<String> asked = new LinkedHashSet<>();
        boolean metahubAvailable = true;
        if (query.scope() == SearchScope.LOCAL) {
            asked.add(homeHub);
        } else {
            Set<String> known = null;
            try {
                known = patientHubs.get(query.patient().value());
            } catch (HubCallException e) {
                metahubAvailable = false;
            }
            for (Hub hub : all) {
                if (known == null || known.contains(hub.ehpId())) {
                    asked.add(hub.code());
                }
            }
        }
        List<HubOutcome> skipped = new ArrayList<>();
        for (Hub hub : all) {
            if (!asked.contains(hub.code())) {
                skipped.add(new HubOutcome(hub.code(), HubStatus.SKIPPED, query.scope() == SearchScope.LOCAL
                        ? "local search: only hub " + homeHub + " is asked"
                        : "the metahub does not link the patient to this hub", 0));
            }
        }
        run.located(List.copyOf(asked), skipped, metahubAvailable);
        return asked.stream().map(FederatedSearch::hubEndpoint).toList();
    }

    /** The endpoint of one hub's route. */
    public static String hubEndpoint(String hubCode) {
        return "direct:hub-" + hubCode;
    }

    /**
     * A hub-calling thread took up this hub's part: its timeout starts now. A part still queued when the search's
     * deadline passed is not started at all (the broker's own congestion, not the hub's).
     */
    public HubCall call(String hub, SearchRun run) {
        if (run.over()) {
            throw new NotStarted();
        }
        long now = System.nanoTime();
        run.hubStarting(hub, now);
        return new HubCall(hub, run, now);
    }

    /**
     * The hub's list (inside the hub's circuit breaker), made on this hub-calling thread with the hub's timeout as its
     * receive timeout: a hub that sends nothing for that long fails with a timeout.
     */
    public HubAnswer list(HubCall call) {
        SearchRun run = call.run();
        SearchQuery query = run.query();
        // searchtype local at every hub: the broker itself is the federation (a global search at each hub would make
        // each of them ask the others again)
        List<DocumentEntry> documents = lists.list(call.hub(), query.patient().value(), query.types(), query.from(),
                query.to(), false, Kmehr.actingParty(run.caller()), run.breakTheGlass(), hubTimeout(call.hub()));
        return answer(call.hub(), HubStatus.OK, null, call.started(), documents);
    }

    /**
     * Why a hub gave no list: its timeout, its open circuit, its error. The start comes from the run: a part given up
     * before its call started has no {@link HubCall}.
     */
    public HubAnswer failed(String hub, SearchRun run, Exception failure) {
        long started = run.hubStarted(hub);
        Throwable cause = unwrap(failure);
        if (cause instanceof NotStarted) {
            meters.counter("rb.search.hub.not.started", "hub", hub).increment();
            return answer(hub, HubStatus.ERROR, "not asked: record-broker had no free hub-calling thread", started,
                    List.of());
        }
        if (cause instanceof CallNotPermittedException) {
            return answer(hub, HubStatus.CIRCUIT_OPEN, "circuit breaker open after repeated failures", started,
                    List.of());
        }
        if (cause instanceof TimeoutException || isTimeout(cause)) {
            return answer(hub, HubStatus.TIMEOUT, "no answer within " + timeouts.apply(hub).toMillis() + " ms",
                    started, List.of());
        }
        return answer(hub, HubStatus.ERROR, cause instanceof HubCallException ? cause.getMessage()
                : cause == null ? "failed" : cause.getClass().getSimpleName(), started, List.of());
    }

    /**
     * filter: every hub's outcome (a hub still out at the deadline: {@code timeout}); the documents without
     * duplicates, and only those this caller may list. The access rights not in the gate's fact cache are asked in
     * parallel (a hand-off per document cost more than the cached lookup itself).
     */
    public FilteredSearch filter(SearchRun run) {
        run.close(); // late answers are dropped, parts not yet started are not made
        List<HubOutcome> outcomes = new ArrayList<>();
        List<DocumentEntry> found = new ArrayList<>();
        for (String hub : run.asked()) {
            HubAnswer answer = run.answers().get(hub);
            if (answer == null) {
                answer = answer(hub, HubStatus.TIMEOUT, "no answer within the search's deadline of "
                        + deadline.toMillis() + " ms", run.started(), List.of());
            }
            outcomes.add(answer.outcome());
            found.addAll(answer.documents());
        }
        outcomes.addAll(run.skipped());
        Professional caller = run.caller();
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
        return new FilteredSearch(run, shown, outcomes);
    }

    /** The documents this caller may see, with every hub's outcome. */
    public record FilteredSearch(SearchRun run, List<DocumentEntry> shown, List<HubOutcome> outcomes) {
    }

    /** page: newest first (then by id, for a stable order), the page asked for. */
    public SearchPage page(FilteredSearch filtered) {
        SearchQuery query = filtered.run().query();
        List<DocumentEntry> visible = filtered.shown().stream()
                .sorted(Comparator.comparing(DocumentEntry::dateTime).reversed()
                        .thenComparing(d -> d.id().encode()))
                .toList();
        int from = Math.min(visible.size(), query.page() * query.pageSize());
        int to = Math.min(visible.size(), from + query.pageSize());
        List<HubOutcome> outcomes = filtered.outcomes();
        String complete = Boolean.toString(outcomes.stream().noneMatch(o -> o.status().isFailure()));
        timers.computeIfAbsent(complete, c -> meters.timer("rb.search.duration", "complete", c))
                .record(System.nanoTime() - filtered.run().started(), TimeUnit.NANOSECONDS);
        return new SearchPage(new SearchResult(query.patient(), visible.subList(from, to), outcomes), visible.size(),
                query.page(), query.pageSize(), filtered.run().metahubAvailable());
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

    /** A hub's part given up before it started (no hub-calling thread came free before the search's deadline). */
    static final class NotStarted extends RuntimeException {
        NotStarted() {
            super("not started", null, false, false);
        }
    }

    private HubAnswer answer(String code, HubStatus status, String error, long start, List<DocumentEntry> documents) {
        long tookNanos = System.nanoTime() - start;
        timers.computeIfAbsent(code + ' ' + status.wire(),
                        k -> meters.timer("rb.search.hub.duration", "hub", code, "outcome", status.wire()))
                .record(tookNanos, TimeUnit.NANOSECONDS);
        return new HubAnswer(new HubOutcome(code, status, error, TimeUnit.NANOSECONDS.toMillis(tookNanos)), documents);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof org.apache.camel.RuntimeExchangeException
                || cause instanceof org.apache.camel.RuntimeCamelException)
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
