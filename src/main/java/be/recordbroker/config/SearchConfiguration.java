package be.recordbroker.config;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.access.CachedAccessFacts;
import be.recordbroker.kmehr.BrokerParty;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.HubTransactionLists;
import be.recordbroker.kmehr.MetahubPatientHubs;
import be.recordbroker.network.Network;
import be.recordbroker.search.FederatedSearch;

/** Wires the federated search: the hub-calling threads, one circuit breaker per hub (with its gauge), the metahub. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchProperties.class)
public class SearchConfiguration {

    @Bean
    CircuitBreakerRegistry hubCircuitBreakers(SearchProperties properties, Network network, MeterRegistry meters) {
        SearchProperties.Circuit c = properties.getCircuit();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(c.getSlidingWindowSize())
                .minimumNumberOfCalls(c.getMinimumNumberOfCalls())
                .failureRateThreshold(c.getFailureRateThreshold())
                .waitDurationInOpenState(c.getWaitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(c.getPermittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        network.hubs().all().forEach(hub -> registry.circuitBreaker(hub.code()));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    /** Not a bean: an Executor bean would take the place of Spring Boot's own task executor. */
    static ExecutorService searchExecutor(SearchProperties properties) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(properties.getThreads(), properties.getThreads(), 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), daemonThreads("search-"));
        executor.allowCoreThreadTimeOut(true);
        // each hub call runs under the search's current observation (issue 16: its span is the hub call's parent,
        // its trace id in the hub call's log lines); context-propagation captures and restores it per task
        return ContextExecutorService.wrap(executor, CONTEXT::captureAll);
    }

    private static final ContextSnapshotFactory CONTEXT = ContextSnapshotFactory.builder().build();

    /**
     * Background refreshes of cached answers (hub round trips): a few daemon threads; when they are all busy and 1000
     * wait, a refresh is skipped and its entry simply expires at its TTL.
     */
    static Executor refreshPool(String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000),
                daemonThreads(prefix), new ThreadPoolExecutor.DiscardPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * "Which hubs know this patient", from the metahub: kept {@code metahub-cache-ttl}; once older than
     * {@code metahub-cache-refresh-after} an entry is still answered and asked again in the background, so the
     * searches of a patient in use never all wait for the metahub when the entry ages. A failed refresh leaves the
     * entry to expire (the search then asks every hub and says so).
     */
    static LoadingCache<String, Set<String>> patientHubsCache(SearchProperties properties,
                                                              CacheLoader<String, Set<String>> metahub, Ticker ticker,
                                                              Executor refresher) {
        return CachedAccessFacts.refreshingCache(properties.getMetahubCacheTtl(), properties.getMetahubCacheRefreshAfter(),
                100_000, ticker, refresher, metahub);
    }

    /** Daemon threads named {@code prefix1, prefix2, ...}: pools of the broker's own that must not hold the JVM up. */
    static CustomizableThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }

    @Bean
    MetahubPatientHubs metahubPatientHubs(HubClients clients, BrokerParty self, Clock clock) {
        return new MetahubPatientHubs(clients, self.hcparty(), clock);
    }

    @Bean(destroyMethod = "close")
    FederatedSearch federatedSearch(SearchProperties properties, Network network, HubTransactionLists lists,
                                    MetahubPatientHubs metahub, AuditedAccessGate gate, MeterRegistry meters,
                                    org.apache.camel.ProducerTemplate searches) {
        String home = properties.getHomeHub() == null || properties.getHomeHub().isBlank()
                ? network.hubs().all().get(0).code() : network.requireHub(properties.getHomeHub()).code();
        properties.getHubTimeouts().keySet().forEach(network::requireHub);
        return new FederatedSearch(network, lists,
                patientHubsCache(properties, metahub::hubsOf, Ticker.systemTicker(), refreshPool("rb-metahub-refresh-")),
                gate.gate(), searchExecutor(properties), home,
                hub -> properties.getHubTimeouts().getOrDefault(hub, properties.getTimeout()), properties.getDeadline(),
                meters, searches);
    }

}
