package be.recordbroker.routes;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.CircuitBreakerDefinition;
import org.apache.camel.model.Resilience4jConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TryDefinition;
import org.springframework.stereotype.Component;

import be.recordbroker.search.FederatedSearch;
import be.recordbroker.search.HubAnswersMerge;

/**
 * The federated search as Camel EIPs, for every face (REST, SOAP, FHIR) through {@link FederatedSearch#search}:
 *
 * <pre>
 * federated-search:  locate (metahub) → recipientList: every hub located, in parallel on the hub-calling threads,
 *                    within the search's deadline → merge (HubAnswersMerge) → filter (duplicates, access rights)
 *                    → page
 * hub-&lt;code&gt;:         (route template hub-transaction-list, one route per hub of the network file)
 *                    call → circuitBreaker (Resilience4j: the hub's breaker, the hub's timeout) → list
 *                    on failure: the hub's outcome (timeout, circuit-open, error)
 * </pre>
 *
 * <p>The hub's timeout runs from the moment a hub-calling thread takes its part up (time queued inside the broker is
 * not the hub's, issue 13); the search's deadline ({@code record-broker.search.deadline}) bounds the whole fan-out, so a
 * search answers in time with what it has even when the broker is congested: a hub still out is {@code timeout}, a
 * part not yet started is not made. The breakers are the registry's ({@code SearchConfiguration}): the health
 * indicator and the metrics read the same ones.
 *
 * <p>Shape choices: {@code streaming} (an in-order merge held the answers after a slow hub back until it answered,
 * and the deadline then dropped them: FederatedSearchRoutesTest); a {@code doTry} around the circuit breaker without
 * {@code onFallback} (a fallback does not see whether the call timed out, was refused by the open circuit or failed,
 * and the hub's outcome must say which); each hub's route is a template instance because a circuitBreaker EIP holds
 * one breaker. The circuit breaker's time limiter hands the hub call to a second thread (the EIP's timeout executor)
 * while the hub-calling thread waits: one thread switch per hub call more than the hand-written fan-out had. Kept: in
 * the broker phase's JFR profile (wave 6, docs/benchmarks.md "Search: where the CPU per search goes") the EIP's frames
 * around the hub call on the calling thread were 3.4 % of the broker JVM's samples, most of them the exchange copy
 * and unit of work the EIP makes with or without a time limiter, the hand-off's own (future, context snapshot
 * restored, park and wake) under 1 % (kernel time for the switch is not in those samples); and the alternative, the
 * SOAP client's receive timeout, bounds each socket read rather than the call (a hub trickling its answer would never
 * time out), and that client is shared with declarations, which have their own timeout. The per-hub routes keep their
 * Camel spans: excluding them ({@code camel.observation.exclude-patterns}) cost more in pattern matching on every
 * exchange than the spans it saved (docs/benchmarks.md).
 */
@Component
public class FederatedSearchRoutes extends RouteBuilder {

    /** The route template of one hub's part of a search. */
    static final String HUB_TEMPLATE = "hub-transaction-list";
    /** Threads that run a hub call while its part waits with the hub's timeout (the circuit breaker's). */
    static final String TIMEOUT_THREADS = "hubCallTimeoutThreads";

    private final FederatedSearch search;
    private final CircuitBreakerRegistry breakers;

    public FederatedSearchRoutes(FederatedSearch search, CircuitBreakerRegistry hubCircuitBreakers) {
        this.search = search;
        this.breakers = hubCircuitBreakers;
    }

    @Override
    public void configure() {
        bindToRegistry(TIMEOUT_THREADS, search.timeoutThreads());

        RouteDefinition hub = routeTemplate(HUB_TEMPLATE)
                .templateParameter("hub", null, "the hub's code in the network file")
                .templateParameter("timeoutMillis", null, "the hub's timeout")
                .from("direct:hub-{{hub}}");
        TryDefinition part = hub.doTry();
        CircuitBreakerDefinition call = part
                .bean(search, "call('{{hub}}', ${body})")
                .circuitBreaker();
        Resilience4jConfigurationDefinition breaker = call.resilience4jConfiguration()
                .circuitBreaker("hub-circuit-{{hub}}")
                .timeoutEnabled(true).timeoutExecutorService(TIMEOUT_THREADS)
                .throwExceptionWhenHalfOpenOrOpenState(true);
        breaker.setTimeoutDuration("{{timeoutMillis}}");
        breaker.end()
                .bean(search, "list")
                .endCircuitBreaker();
        part.doCatch(Exception.class)
                .bean(search, "failed('{{hub}}', ${exchangeProperty." + HubAnswersMerge.RUN + "}, ${exception})")
                .end();

        search.hubTimeouts().forEach((code, timeout) -> {
            bindToRegistry("hub-circuit-" + code, breakers.circuitBreaker(code));
            templatedRoute(HUB_TEMPLATE).routeId("hub-" + code)
                    .parameter("hub", code).parameter("timeoutMillis", Long.toString(timeout.toMillis()));
        });

        from(FederatedSearch.ROUTE).routeId("federated-search")
                .setProperty(HubAnswersMerge.RUN, body())
                .recipientList(method(search, "locate"))
                    // streaming: each answer merged as it comes (in order, a slow hub would hold back the answers of
                    // the hubs after it, and the deadline would drop them)
                    .parallelProcessing().streaming().executorService(search.hubCallingThreads())
                    .timeout("{{record-broker.search.deadline}}")
                    .aggregationStrategy(new HubAnswersMerge())
                .end()
                .bean(search, "filter")
                .bean(search, "page");
    }
}
