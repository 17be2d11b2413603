package be.recordbroker.ops;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import be.recordbroker.domain.Hub;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.domain.Ssin;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.network.Network;
import be.recordbroker.search.FederatedSearch;

/**
 * Readiness after a warm-up (issue 13): a broker just started answered 200 connections with empty partial lists,
 * because its first seconds went to making hub clients and JIT-compiling the search path while the load waited. This
 * indicator (in the readiness group: {@code /actuator/health/readiness}) says OUT_OF_SERVICE until (1) the SOAP
 * clients of every hub and of the metahub are made (WSDL and schema loading, seconds cold) and the bearer tokens' key
 * set is fetched — both begun as soon as the main HTTP server listens (a path-only hub URL needs its port), beside
 * the rest of the start (the Camel routes, the management server), on threads of their own: they once waited for the
 * application to be ready and added their time to the start (issue 17) — and (2), once the application has started,
 * when {@code record-broker.warm-up.patient} and {@code .professional} are set (a test patient
 * the hubs know: the sandbox's; in production an agreed test patient, or empty), the federated search has run for that
 * patient {@code iterations} times on 4 threads or until the JIT settles (under 5% of a 2-s step compiling) — directly,
 * not through a face: no access decision and no audit row is made for it. It is ready anyway after
 * {@code max-duration}, and says so in the log. The warm-up searches show in {@code rb_search_duration} like others.
 */
public class WarmUp implements HealthIndicator, SmartApplicationListener {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final int THREADS = 4;
    private static final long STEP_NANOS = Duration.ofSeconds(2).toNanos();

    private final HubClients clients;
    private final Network network;
    private final FederatedSearch search;
    private final WarmUpProperties properties;
    private final JwtDecoder bearerTokens;
    private volatile String state = "not started";
    private volatile boolean done;
    private boolean begun;
    /** Completed once the application has started (ApplicationReadyEvent). */
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    public WarmUp(HubClients clients, Network network, FederatedSearch search, WarmUpProperties properties,
                  JwtDecoder bearerTokens) {
        this.bearerTokens = bearerTokens;
        this.clients = clients;
        this.network = network;
        this.search = search;
        this.properties = properties;
        if (!properties.isEnabled()) {
            done = true;
            state = "off";
        }
    }

    @Override
    public Health health() {
        return done ? Health.up().withDetail("warmUp", state).build()
                : Health.outOfService().withDetail("warmUp", state).build();
    }

    public boolean isDone() {
        return done;
    }

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
        return WebServerInitializedEvent.class.isAssignableFrom(type) || ApplicationReadyEvent.class.isAssignableFrom(type);
    }

    /**
     * The main HTTP server listens (the management server's event is not it): the warm-up begins. The application
     * ready: it may search (the search runs through Camel routes, started by then); a broker without a web server
     * begins here.
     */
    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof WebServerInitializedEvent web) {
            String namespace = web.getApplicationContext().getServerNamespace();
            if (namespace == null || "server".equals(namespace)) {
                begin();
            }
        } else if (event instanceof ApplicationReadyEvent) {
            begin();
            started.complete(null);
        }
    }

    private synchronized void begin() {
        if (done || begun) {
            return;
        }
        begun = true;
        Thread thread = new Thread(this::run, "rb-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        long deadline = start + properties.getMaxDuration().toNanos();
        try {
            state = "making hub clients, fetching the bearer tokens' key set";
            // the key set comes over the network (the identity provider): fetched while the clients are made
            CompletableFuture<Void> keySet = new CompletableFuture<>();
            Thread fetch = new Thread(() -> {
                try {
                    fetchKeySet();
                    keySet.complete(null);
                } catch (RuntimeException | Error e) {
                    keySet.completeExceptionally(e);
                }
            }, "rb-warm-up-key-set");
            fetch.setDaemon(true);
            fetch.start();
            for (Hub hub : network.hubs().all()) {
                clients.hub(hub.code());
                // the search's port: the same hub with the search's timeout as its receive timeout
                clients.hub(hub.code(), search.hubTimeout(hub.code()));
            }
            clients.metahub();
            keySet.join();
            if (properties.getPatient() != null && !properties.getPatient().isBlank()
                    && properties.getProfessional() != null && !properties.getProfessional().isBlank()) {
                state = "waiting for the application to start";
                started.join();
                state = "searching";
                searches(deadline);
            }
            state = "done in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms";
            LOG.info("Warm-up {}: ready", state);
        } catch (RuntimeException e) {
            // a warm-up that fails (a hub down) must not keep the broker out of service: searches then report the hub
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            state = "failed after " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms ("
                    + cause.getClass().getSimpleName() + ")";
            LOG.warn("Warm-up {}: ready anyway", state);
        } finally {
            done = true;
        }
    }

    /**
     * The bearer-token key set is fetched on first use: cold, 200 first requests all waited for that one fetch, timed
     * out (the server's own threads were busy) and hit Nimbus' refetch rate limit: 500s. A token signed with no key
     * (RS256, no key id) makes the decoder fetch the set and then refuse the token.
     */
    private void fetchKeySet() {
        if (bearerTokens == null) {
            return;
        }
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + b64.encodeToString("{\"sub\":\"record-broker warm-up\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + b64.encodeToString(new byte[256]);
        try {
            bearerTokens.decode(token);
            LOG.warn("Warm-up: a token signed with no key was accepted");
        } catch (org.springframework.security.oauth2.jwt.JwtException expected) {
            // refused, as it must be; the key set is now cached (or could not be fetched: logged by the first request)
        }
    }

    private void searches(long deadline) {
        Professional caller = new Professional(Nihii.parse(properties.getProfessional(), NihiiValidation.LENIENT), null,
                "persphysician", "record-broker warm-up");
        SearchQuery query = new SearchQuery(Ssin.parse(properties.getPatient()), Set.of(), null, null,
                SearchScope.GLOBAL, 0, 50);
        AtomicInteger left = new AtomicInteger(properties.getIterations());
        AtomicLong incomplete = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                while (left.getAndDecrement() > 0 && System.nanoTime() < deadline) {
                    if (!search.search(caller, query, null).complete()) {
                        incomplete.incrementAndGet();
                    }
                }
            }, "rb-warm-up-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean measured = jit != null && jit.isCompilationTimeMonitoringSupported();
        int ran = 0;
        // at least a quarter of the iterations, then until the JIT settles
        while (threads.stream().anyMatch(Thread::isAlive)) {
            long before = measured ? jit.getTotalCompilationTime() : 0;
            join(threads, STEP_NANOS);
            ran = properties.getIterations() - Math.max(0, left.get());
            if (measured && ran >= properties.getIterations() / 4
                    && jit.getTotalCompilationTime() - before < STEP_NANOS / 1_000_000 / 20) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                LOG.warn("Warm-up cut short after {} (record-broker.warm-up.max-duration)", properties.getMaxDuration());
                break;
            }
        }
        left.set(0);
        join(threads, Duration.ofSeconds(30).toNanos());
        if (incomplete.get() > 0) {
            LOG.warn("Warm-up: {} of {} searches incomplete (a hub is failing)", incomplete.get(), ran);
        }
    }

    private static void join(List<Thread> threads, long nanos) {
        long until = System.nanoTime() + nanos;
        try {
            for (Thread t : threads) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                t.join(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
