package be.recordbroker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;
import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.domain.Ssin;
import be.recordbroker.kmehr.HubCallException;
import be.recordbroker.kmehr.HubTransactionLists;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.Network;
import be.recordbroker.search.FederatedSearch;
import be.recordbroker.search.SearchPage;

/**
 * The fan-out's EIPs on their own, with stand-in hubs: the per-hub timeout (handed to the hub call, whose receive
 * timeout it is: the stand-ins fail as the SOAP client does when a hub stays silent that long; HubClientTimeoutTest
 * shows the client does) and circuit breaker (the circuitBreaker EIP), the search's deadline (the recipientList's
 * timeout), the merge — asserted on what the {@code federated-search} route hands on (a MockEndpoint woven in with
 * AdviceWith).
 */
class FederatedSearchRoutesTest {

    static final String PATIENT = "61031512350";
    /** rsb and rsw: 1 s each; cozo: 10 s, beyond the search's 2 s deadline. */
    static final Map<String, Duration> TIMEOUTS = Map.of("rsb", Duration.ofSeconds(1), "cozo", Duration.ofSeconds(10),
            "rsw", Duration.ofSeconds(1));
    static final Duration DEADLINE = Duration.ofSeconds(2);

    /** What each stand-in hub does when asked: answer, wait, fail. */
    final Map<String, Behaviour> hubs = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The receive timeout each hub's last call was made with. */
    final Map<String, Duration> receiveTimeouts = new ConcurrentHashMap<>();
    DefaultCamelContext camel;
    CircuitBreakerRegistry breakers;
    FederatedSearch search;
    MockEndpoint pages;

    interface Behaviour {
        List<DocumentEntry> answer() throws InterruptedException;
    }

    /**
     * A hub silent for {@code millis} before it answers: past the call's receive timeout the call fails as the SOAP
     * client's does (a SocketTimeoutException under the hub call's exception).
     */
    static List<DocumentEntry> silentFor(String hub, long millis, Duration receiveTimeout) throws InterruptedException {
        if (millis <= receiveTimeout.toMillis()) {
            Thread.sleep(millis);
            return List.of();
        }
        Thread.sleep(receiveTimeout.toMillis());
        throw new HubCallException(hub, false, "GetTransactionList at hub " + hub + " failed: WebServiceException",
                new java.net.SocketTimeoutException("Read timed out"));
    }

    @BeforeEach
    void start() throws Exception {
        List<HubEndpoint> endpoints = List.of(hub("rsb", "1990000728", "RSBID"), hub("cozo", "1990000134", "COZOID"),
                hub("rsw", "1990000035", "RSWID"));
        Network network = new Network(HubDirectory.of(endpoints.stream().map(HubEndpoint::hub).toList()), endpoints,
                new HttpEndpoint("/metahub", Duration.ofSeconds(1), Duration.ofSeconds(1)), List.of());
        HubTransactionLists lists = new HubTransactionLists(null, network, NihiiValidation.LENIENT, null) {
            @Override
            public List<DocumentEntry> list(String hub, String patientSsin, Collection<String> types, LocalDate from,
                                            LocalDate to, boolean global, HcpartyType author, String breakTheGlass,
                                            Duration receiveTimeout) {
                calls.computeIfAbsent(hub, h -> new AtomicInteger()).incrementAndGet();
                receiveTimeouts.put(hub, receiveTimeout);
                try {
                    return hubs.getOrDefault(hub, List::of).answer();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HubCallException(hub, false, "interrupted", e);
                }
            }
        };
        breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(4)
                .minimumNumberOfCalls(2).failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1))
                .build());
        Set<String> everyHub = endpoints.stream().map(e -> e.hub().ehpId()).collect(Collectors.toSet());
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty("record-broker.search.deadline", DEADLINE.toMillis() + "ms");
        camel.start();
        search = new FederatedSearch(network, lists, Caffeine.newBuilder().build(ssin -> everyHub), null,
                Executors.newFixedThreadPool(8), "rsb", TIMEOUTS::get, DEADLINE,
                new SimpleMeterRegistry(), camel.createProducerTemplate());
        FederatedSearchRoutes routes = new FederatedSearchRoutes(search, breakers);
        camel.addRoutes(routes);
        routes.addTemplatedRoutesToCamelContext(camel); // the hub routes (Spring Boot's route collector does this)
        AdviceWith.adviceWith(camel, "federated-search", route -> route.weaveAddLast().to("mock:pages"));
        // one search first: the first exchange loads the routes' classes, longer than a hub's timeout on a busy machine
        search.search(caller(), query(), null);
        breakers.getAllCircuitBreakers().forEach(io.github.resilience4j.circuitbreaker.CircuitBreaker::reset);
        calls.clear();
        pages = camel.getEndpoint("mock:pages", MockEndpoint.class);
        pages.reset();
    }

    @AfterEach
    void stop() {
        search.close();
        camel.stop();
    }

    @Test
    void aSlowHubIsATimeoutAFailingOneAnErrorAndTheOthersAnswerIsKept() throws Exception {
        hubs.put("rsw", () -> {
            throw new HubCallException("rsw", false, "GetTransactionList at hub rsw failed: ConnectException", null);
        });
        hubs.put("rsb", () -> silentFor("rsb", 4000, TIMEOUTS.get("rsb")));
        pages.expectedMessageCount(1);

        long start = System.nanoTime();
        SearchPage page = search.search(caller(), query(), null);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        pages.assertIsSatisfied();
        assertThat(pages.getExchanges().get(0).getMessage().getBody()).isSameAs(page);
        assertThat(statuses(page)).containsEntry("rsb", "timeout").containsEntry("rsw", "error")
                .containsEntry("cozo", "ok");
        assertThat(page.result().hubs()).filteredOn(o -> o.hub().equals("rsb")).singleElement()
                .satisfies(o -> {
                    assertThat(o.error()).isEqualTo("no answer within 1000 ms");
                    assertThat(o.tookMs()).as("the time the hub was given").isGreaterThanOrEqualTo(1000);
                });
        assertThat(page.complete()).isFalse();
        assertThat(tookMs).as("the slow hub's 1 s timeout, not its 4 s").isLessThan(3000);
        assertThat(receiveTimeouts).as("each hub's call waits for the hub as long as that hub's timeout")
                .isEqualTo(TIMEOUTS);
    }

    @Test
    void aHubThatKeepsFailingHasItsCircuitOpenedAndIsNoLongerCalled() throws Exception {
        hubs.put("rsw", () -> {
            throw new HubCallException("rsw", false, "GetTransactionList at hub rsw failed: ConnectException", null);
        });
        search.search(caller(), query(), null);
        search.search(caller(), query(), null);
        int callsBefore = calls.get("rsw").get();

        SearchPage open = search.search(caller(), query(), null);

        assertThat(statuses(open)).containsEntry("rsw", "circuit-open").containsEntry("rsb", "ok");
        assertThat(calls.get("rsw").get()).as("an open circuit does not call the hub").isEqualTo(callsBefore);
        assertThat(breakers.circuitBreaker("rsw").getState().name()).isEqualTo("OPEN");
    }

    @Test
    void theSearchAnswersByItsDeadlineWithWhatItHas() throws Exception {
        // within its own 10 s timeout, beyond the search's deadline
        hubs.put("cozo", () -> silentFor("cozo", 6000, TIMEOUTS.get("cozo")));

        long start = System.nanoTime();
        SearchPage page = search.search(caller(), query(), null);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(statuses(page)).containsEntry("cozo", "timeout").containsEntry("rsb", "ok")
                .containsEntry("rsw", "ok");
        assertThat(page.result().hubs()).filteredOn(o -> o.hub().equals("cozo")).singleElement()
                .satisfies(o -> assertThat(o.error()).contains("deadline of 2000 ms"));
        assertThat(page.complete()).isFalse();
        assertThat(tookMs).as("answered at the 2 s deadline, not after the hub's 6 s").isBetween(1900L, 5000L);
    }

    private static Map<String, String> statuses(SearchPage page) {
        return page.result().hubs().stream().collect(Collectors.toMap(HubOutcome::hub, o -> o.status().wire()));
    }

    private static Professional caller() {
        return new Professional(Nihii.parse("12345625004", NihiiValidation.LENIENT), null, "persphysician", "An");
    }

    private static SearchQuery query() {
        return new SearchQuery(Ssin.parse(PATIENT), Set.of(), null, null, SearchScope.GLOBAL, 0, 50);
    }

    private static HubEndpoint hub(String code, String ehpId, String sourceLabel) {
        return new HubEndpoint(new Hub(code, ehpId, sourceLabel, code),
                new HttpEndpoint("/hubs/" + code, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }
}
