package be.recordbroker.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code record-broker.search.*}: the federated search (docs/search.md). */
@ConfigurationProperties("record-broker.search")
public class SearchProperties {

    /** The hub a {@code scope=local} search asks; empty = the first hub of the network file. */
    private String homeHub;
    /** Threads that call hubs (and fetch access rights) for all searches together. */
    private int threads = 128;
    /** How long the metahub's answer "these hubs know the patient" is reused. */
    private Duration metahubCacheTtl = Duration.ofSeconds(30);
    /** An entry older than this is still used and asked again in the background; not below the TTL = off. */
    private Duration metahubCacheRefreshAfter = Duration.ofSeconds(20);
    private final Circuit circuit = new Circuit();
    /** How long a search waits for a hub's list before it answers without it ({@code timeout}). */
    private Duration timeout = Duration.ofSeconds(5);
    /**
     * How long a search waits for all its hubs together (issue 13): time a hub's part waits for a hub-calling thread
     * counts here; a hub still out is then {@code timeout} and the search answers with what it has.
     */
    private Duration deadline = Duration.ofSeconds(8);
    /** Per-hub overrides of {@link #timeout}, by hub code. */
    private java.util.Map<String, Duration> hubTimeouts = new java.util.LinkedHashMap<>();

    /** One circuit breaker per hub (Resilience4j, count-based window). */
    public static class Circuit {
        /** Failure rate (percent) over the window that opens the circuit. */
        private float failureRateThreshold = 50;
        private int slidingWindowSize = 10;
        /** Calls needed in the window before the rate counts. */
        private int minimumNumberOfCalls = 5;
        /** How long an open circuit skips the hub before letting trial calls through. */
        private Duration waitInOpenState = Duration.ofSeconds(30);
        private int permittedCallsInHalfOpenState = 2;

        public float getFailureRateThreshold() { return failureRateThreshold; }
        public void setFailureRateThreshold(float v) { this.failureRateThreshold = v; }
        public int getSlidingWindowSize() { return slidingWindowSize; }
        public void setSlidingWindowSize(int v) { this.slidingWindowSize = v; }
        public int getMinimumNumberOfCalls() { return minimumNumberOfCalls; }
        public void setMinimumNumberOfCalls(int v) { this.minimumNumberOfCalls = v; }
        public Duration getWaitInOpenState() { return waitInOpenState; }
        public void setWaitInOpenState(Duration v) { this.waitInOpenState = v; }
        public int getPermittedCallsInHalfOpenState() { return permittedCallsInHalfOpenState; }
        public void setPermittedCallsInHalfOpenState(int v) { this.permittedCallsInHalfOpenState = v; }
    }

    public String getHomeHub() { return homeHub; }
    public void setHomeHub(String homeHub) { this.homeHub = homeHub; }
    public int getThreads() { return threads; }
    public void setThreads(int threads) { this.threads = threads; }
    public Duration getMetahubCacheRefreshAfter() { return metahubCacheRefreshAfter; }
    public void setMetahubCacheRefreshAfter(Duration metahubCacheRefreshAfter) { this.metahubCacheRefreshAfter = metahubCacheRefreshAfter; }
    public Duration getMetahubCacheTtl() { return metahubCacheTtl; }
    public void setMetahubCacheTtl(Duration metahubCacheTtl) { this.metahubCacheTtl = metahubCacheTtl; }
    public Circuit getCircuit() { return circuit; }
    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    public Duration getDeadline() { return deadline; }
    public void setDeadline(Duration deadline) { this.deadline = deadline; }
    public java.util.Map<String, Duration> getHubTimeouts() { return hubTimeouts; }
    public void setHubTimeouts(java.util.Map<String, Duration> hubTimeouts) { this.hubTimeouts = hubTimeouts; }
}
