package be.recordbroker.routes;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.CircuitBreakerDefinition;
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
 *                    call → circuitBreaker (Resilience4j: the hub's breaker) → list (with the hub's timeout)
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
 * one breaker. The EIPs cost nothing measurable here: a hub route of one bean calling the hub's breaker by hand (no
 * doTry, no circuitBreaker EIP, one bean step instead of three) was measured against this shape, two pairs of
 * broker-only runs in alternating order at 60 searches/s, and the hub-calling threads spent the same CPU per search
 * (1.90 and 1.83 ms against 1.90 and 1.99, the hubs' JVM as the machine's yardstick: docs/benchmarks.md). The
 * recipientList itself costs a little: a fan-out by hand (one bean giving each hub's call to the same threads through
 * the hub's breaker, then waiting within the deadline) spent 4–6 % less of the broker JVM's CPU per search (two pairs
 * of broker-only runs in alternating order, stop 30 in docs/benchmarks.md), about 0.05 of the search benchmark's CPU
 * ratio. Not enough to meet that goal at every hour of this kind of machine, and the fan-out would again be hidden in a
 * bean: the EIP is kept.
 *
 * <p>The hub's timeout is the hub call's receive timeout (its socket's: the answer must begin, and each read go on,
 * within it; {@code HubClients#hub(String, Duration)}), not the circuit breaker EIP's time limiter. The time limiter
 * hands every hub call to a second thread while the hub-calling thread waits for it: two wake-ups, a future and a
 * context snapshot more per hub, three per search, for a call whose thread stays blocked in its socket read after the
 * timeout anyway (an interrupt does not stop it). Without it the hub-calling threads spent 0.3–0.5 ms less CPU per
 * search on the search benchmark (broker-only runs at 60 searches/s, two pairs in opposite order: docs/benchmarks.md),
 * a tenth of what the broker adds to the direct fan-out. What the time limiter bounded and the receive timeout does
 * not: a hub that keeps sending, slower than its timeout in all but never silent for that long; the search's deadline
 * bounds that one. A hub's route makes no Camel span: the hub call's own client span (kmehr/ClientCallObservations.java)
 * is the hub's part of the trace, a child of the request's span (config/TracingConfiguration.java). Excluding the per-hub routes altogether
 * ({@code camel.observation.exclude-patterns}) cost more in pattern matching on every exchange than the spans it saved
 * (docs/benchmarks.md).
 */
@Component
public class FederatedSearchRoutes extends RouteBuilder {

    /** The route template of one hub's part of a search. */
    static final String HUB_TEMPLATE = "hub-transaction-list";
    /** Each hub's route id: this and the hub's code. */
    public static final String HUB_ROUTE_ID_PREFIX = "hub-";

    private final FederatedSearch search;
    private final CircuitBreakerRegistry breakers;

    public FederatedSearchRoutes(FederatedSearch search, CircuitBreakerRegistry hubCircuitBreakers) {
        this.search = search;
        this.breakers = hubCircuitBreakers;
    }

    @Override
    public void configure() {
        RouteDefinition hub = routeTemplate(HUB_TEMPLATE)
                .templateParameter("hub", null, "the hub's code in the network file")
                .from("direct:hub-{{hub}}");
        TryDefinition part = hub.doTry();
        CircuitBreakerDefinition call = part
                .bean(search, "call('{{hub}}', ${body})")
                .circuitBreaker();
        call.resilience4jConfiguration()
                .circuitBreaker("hub-circuit-{{hub}}")
                // no time limiter: the hub's timeout is its call's receive timeout (see above)
                .timeoutEnabled(false)
                .throwExceptionWhenHalfOpenOrOpenState(true)
                .end()
                .bean(search, "list")
                .endCircuitBreaker();
        part.doCatch(Exception.class)
                .bean(search, "failed('{{hub}}', ${exchangeProperty." + HubAnswersMerge.RUN + "}, ${exception})")
                .end();

        search.hubCodes().forEach(code -> {
            bindToRegistry("hub-circuit-" + code, breakers.circuitBreaker(code));
            templatedRoute(HUB_TEMPLATE).routeId(HUB_ROUTE_ID_PREFIX + code).parameter("hub", code);
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
