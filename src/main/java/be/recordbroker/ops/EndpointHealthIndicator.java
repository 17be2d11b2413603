package be.recordbroker.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.LocalServerAddress;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Whether a hub (or the metahub) answers at all: an HTTP GET of its service description ({@code ?wsdl}) within the
 * connect timeout; any answer below 500 counts as reachable. An unreachable hub is DEGRADED, not DOWN: the broker
 * still serves the other regions and flags the missing one. The result is kept {@code record-broker.health.cache}
 * (default 5s; 0s probes every time) so a scrape storm does not become a probe storm. A hub's health also follows
 * its search circuit breaker: while the circuit is open the hub is DEGRADED whatever the probe says (searches skip
 * it), and the circuit's state is shown.
 */
final class EndpointHealthIndicator extends AbstractHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "unreachable; searches will return partial results");

    private final String name;
    private final HttpEndpoint endpoint;
    private final LocalServerAddress addresses;
    private final HttpClient client;
    private final Duration keep;
    private volatile Health last;
    private volatile Instant lastAt = Instant.EPOCH;
    private final java.util.function.Supplier<String> circuit;

    EndpointHealthIndicator(String name, HttpEndpoint endpoint, LocalServerAddress addresses, Duration keep) {
        this(name, endpoint, addresses, keep, null);
    }

    /** @param circuit the state of the hub's circuit breaker ({@code CLOSED}, {@code OPEN}, ...), null for none */
    EndpointHealthIndicator(String name, HttpEndpoint endpoint, LocalServerAddress addresses, Duration keep,
                            java.util.function.Supplier<String> circuit) {
        super("hub health check failed");
        this.circuit = circuit;
        this.name = name;
        this.keep = keep;
        this.endpoint = endpoint;
        this.addresses = addresses;
        this.client = HttpClient.newBuilder().connectTimeout(endpoint.connectTimeout()).build();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        probe(builder);
        if (circuit != null) {
            String state = circuit.get();
            builder.withDetail("circuit", state.toLowerCase(java.util.Locale.ROOT));
            if (state.contains("OPEN") && !state.equals("HALF_OPEN")) {
                builder.status(DEGRADED);
            }
        }
    }

    private void probe(Health.Builder builder) {
        Health cached = last;
        if (cached != null && Instant.now().isBefore(lastAt.plus(keep))) {
            builder.status(cached.getStatus()).withDetails(cached.getDetails());
            return;
        }
        // no URL in the details: health is read by ops and probes, the network's addresses are not theirs to learn (issue 12)
        Health.Builder fresh = new Health.Builder().withDetail("name", name);
        long start = System.nanoTime();
        try {
            URI uri = URI.create(addresses.resolve(endpoint.url()) + "?wsdl");
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(endpoint.connectTimeout())
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            fresh.withDetail("httpStatus", response.statusCode());
            fresh.status(response.statusCode() < 500 ? Status.UP : DEGRADED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fresh.status(DEGRADED).withDetail("error", "interrupted");
        } catch (Exception e) {
            fresh.status(DEGRADED).withDetail("error", e.getClass().getSimpleName());
        }
        fresh.withDetail("tookMs", (System.nanoTime() - start) / 1_000_000);
        Health health = fresh.build();
        last = health;
        lastAt = Instant.now();
        builder.status(health.getStatus()).withDetails(health.getDetails());
    }
}
