package be.recordbroker.search;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The fan-out's merge: each hub's {@link HubAnswer} joins the search's {@link SearchRun}, which is what the
 * {@code federated-search} route carries on with. When the search's deadline passes first, the hubs still out are
 * marked and their late answers dropped ({@link FederatedSearch#filter} names them {@code timeout}).
 */
public final class HubAnswersMerge implements AggregationStrategy {

    /** The exchange property that holds the {@link SearchRun} (copied into each hub's exchange). */
    public static final String RUN = "rb.search.run";

    @Override
    public Exchange aggregate(Exchange merged, Exchange hub) {
        SearchRun run = hub.getProperty(RUN, SearchRun.class);
        Object answer = hub.getMessage().getBody();
        if (answer instanceof HubAnswer a) {
            run.answered(a);
        }
        // anything else (a hub route that failed outside its circuit breaker) leaves the hub unanswered: filter()
        // names it as an error
        Exchange result = merged != null ? merged : hub;
        result.getMessage().setBody(run);
        result.setException(null);
        return result;
    }

    @Override
    public void timeout(Exchange merged, int index, int total, long timeout) {
        if (merged != null) {
            merged.getProperty(RUN, SearchRun.class).close();
        }
    }
}
