package be.recordbroker.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The growing pause of a hub whose calls fail transiently. The failed message is rolled back to the head of the hub's
 * queue (Artemis redelivers at once, so each patient's oldest message stays first); after failures-before-pause
 * failures in a row (no success between them) the hub's consumer stops receiving for the current delay, and a
 * scheduler starts it again. The delay starts at initial-delay, grows by the
 * multiplier up to max-delay while the hub keeps failing, and falls back to initial-delay on the first success. No
 * thread waits on a message meanwhile, and the other hubs' queues go on.
 *
 * <p>Why not Artemis' own redelivery delay: it schedules each rolled-back message on its own, and a later message of
 * the same patient (fewer deliveries, so a shorter delay) would reach a returning hub before the earlier one.
 */
public class HubBackoff implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubBackoff.class);

    private final IngestProperties.Redelivery settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, HubState> hubs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-backoff");
        t.setDaemon(true);
        return t;
    });
    private volatile CamelContext camel;

    private static final class HubState {
        final String routeId;
        long delayMs; // 0: not failing
        int failuresInARow;
        boolean paused;

        HubState(String routeId) {
            this.routeId = routeId;
        }
    }

    public HubBackoff(IngestProperties.Redelivery settings, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    /** Registers a hub's consuming route (called while the routes are built). */
    public void register(CamelContext camel, String hub, String routeId) {
        this.camel = camel;
        HubState state = new HubState(routeId);
        hubs.put(hub, state);
        Gauge.builder("rb.hl7.hub.backoff", state, s -> s.paused ? s.delayMs / 1000.0 : 0.0)
                .description("seconds the hub's declaring consumers pause after a transient failure (0: consuming)")
                .baseUnit("seconds").tag("hub", hub).register(meters);
    }

    /** True when a message enqueued at this time (epoch ms) has failed for longer than the max age. */
    public boolean tooOld(String enqueuedAtMillis) {
        if (enqueuedAtMillis == null) {
            return false;
        }
        try {
            return clock.millis() - Long.parseLong(enqueuedAtMillis) > settings.getMaxAge().toMillis();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A call to the hub failed transiently: its consumer pauses (once, however many consumers saw it fail). */
    public void failed(String hub, Exception cause) {
        HubState state = hubs.get(hub);
        if (state == null) {
            return;
        }
        long delay;
        synchronized (state) {
            if (state.paused) {
                LOG.debug("hub {} failed again while pausing: {}", hub, String.valueOf(cause));
                return;
            }
            if (++state.failuresInARow < settings.getFailuresBeforePause()) {
                // a hub that fails now and then is retried at once (the message is back at the head of its queue):
                // pausing all of its consumers for one stray fault would throttle a healthy hub
                LOG.info("hub {}: retrying at once after a transient failure: {}", hub, String.valueOf(cause));
                return;
            }
            state.delayMs = state.delayMs == 0 ? settings.getInitialDelay().toMillis()
                    : Math.min(settings.getMaxDelay().toMillis(),
                    (long) (state.delayMs * Math.max(1.0, settings.getMultiplier())));
            state.paused = true;
            delay = state.delayMs;
        }
        LOG.warn("hub {}: declarations paused for {} after a transient failure: {}", hub, Duration.ofMillis(delay),
                String.valueOf(cause));
        // from the timer thread: the failing exchange still runs on one of the consumer's own threads
        timer.execute(() -> consumer(state, false));
        timer.schedule(() -> {
            synchronized (state) {
                state.paused = false;
            }
            consumer(state, true);
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** A call to the hub succeeded: the next failure starts again from the initial delay. */
    public void succeeded(String hub) {
        HubState state = hubs.get(hub);
        if (state != null && (state.delayMs != 0 || state.failuresInARow != 0)) {
            synchronized (state) {
                state.failuresInARow = 0;
                if (!state.paused) {
                    state.delayMs = 0;
                }
            }
        }
    }

    private void consumer(HubState state, boolean run) {
        CamelContext context = camel;
        Route route = context == null ? null : context.getRoute(state.routeId);
        if (route == null) {
            return;
        }
        Consumer consumer = route.getConsumer();
        try {
            if (run) {
                ServiceHelper.resumeService(consumer);
            } else {
                ServiceHelper.suspendService(consumer);
            }
        } catch (RuntimeException e) {
            LOG.warn("hub route {}: could not {} its consumer: {}", state.routeId, run ? "resume" : "pause",
                    e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
