package be.recordbroker.search;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One hub's part of a federated search, the step of that hub's route (routes/FederatedSearchRoutes.java): the hub
 * call ({@link FederatedSearch#list}, with the hub's timeout) behind the hub's circuit breaker, and a failure turned
 * into the hub's outcome ({@link FederatedSearch#failed}: timeout, circuit-open, error). A part the search's deadline
 * gave up before it started ({@link FederatedSearch#call}) is not the hub's failure: its breaker does not see it.
 */
public final class HubPart {

    private final String hub;
    private final CircuitBreaker breaker;
    private final FederatedSearch search;

    public HubPart(String hub, CircuitBreaker breaker, FederatedSearch search) {
        this.hub = hub;
        this.breaker = breaker;
        this.search = search;
    }

    /** The hub's answer to this search: its list, or why it gave none. */
    public HubAnswer ask(SearchRun run) {
        try {
            HubCall call = search.call(hub, run);
            return breaker.executeCallable(() -> search.list(call));
        } catch (Exception e) {
            return search.failed(hub, run, e);
        }
    }

    @Override
    public String toString() {
        return "HubPart[" + hub + "]";
    }
}
