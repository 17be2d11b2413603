package be.recordbroker.search;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchQuery;

/**
 * One federated search on its way through the {@code federated-search} route: what was asked, the hubs located for
 * it, and the hubs' answers as the merge gathers them. Each hub's copy of the exchange shares this object.
 */
public final class SearchRun {

    private final Professional caller;
    private final SearchQuery query;
    private final String breakTheGlass;
    private final long started = System.nanoTime();
    private List<String> asked = List.of();
    private List<HubOutcome> skipped = List.of();
    private boolean metahubAvailable = true;
    private final Map<String, HubAnswer> answers = new ConcurrentHashMap<>();
    /** When each hub's call started (System.nanoTime), for its outcome's time even when the call's exchange is lost. */
    private final Map<String, Long> hubStarted = new ConcurrentHashMap<>();
    /** Set when the search's deadline passed: a hub call that has not started by then is not made. */
    private volatile boolean over;

    public SearchRun(Professional caller, SearchQuery query, String breakTheGlass) {
        this.caller = caller;
        this.query = query;
        this.breakTheGlass = breakTheGlass;
    }

    public Professional caller() { return caller; }
    public SearchQuery query() { return query; }
    public String breakTheGlass() { return breakTheGlass; }
    public long started() { return started; }
    /** The codes of the hubs asked, in network order. */
    public List<String> asked() { return asked; }
    public List<HubOutcome> skipped() { return skipped; }
    public boolean metahubAvailable() { return metahubAvailable; }
    public Map<String, HubAnswer> answers() { return answers; }
    public boolean over() { return over; }

    /** When the hub's call started, or when the search did if it never started. */
    public long hubStarted(String hub) { return hubStarted.getOrDefault(hub, started); }

    void hubStarting(String hub, long at) { hubStarted.put(hub, at); }

    void located(List<String> asked, List<HubOutcome> skipped, boolean metahubAvailable) {
        this.asked = List.copyOf(asked);
        this.skipped = List.copyOf(skipped);
        this.metahubAvailable = metahubAvailable;
    }

    void answered(HubAnswer answer) {
        if (!over) {
            answers.putIfAbsent(answer.outcome().hub(), answer);
        }
    }

    /** No more answers are taken, and hub calls not yet started are not made. */
    void close() {
        this.over = true;
    }
}
