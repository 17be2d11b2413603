package be.recordbroker.ingest;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps one peer from holding an MLLP listener's connections: at most {@code maxPerPeer} connections per remote IP
 * address at once, and a connection that has not delivered a complete frame {@code firstFrameTimeout} after it was
 * accepted is closed. camel-mllp alone keeps a silent socket for its idle timeout (minutes), so 64 idle sockets from
 * anyone would lock every hospital out. Used by {@link GuardedMllpComponent}'s consumer; shared by every listener.
 */
public final class PeerGuard implements AutoCloseable {

    private final int maxPerPeer;
    private final Duration firstFrameTimeout;
    private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Counter overLimit;
    private final Counter silent;
    private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    public PeerGuard(int maxPerPeer, Duration firstFrameTimeout, MeterRegistry meters) {
        if (maxPerPeer < 1) {
            throw new IllegalArgumentException("record-broker.mllp.max-connections-per-peer must be at least 1");
        }
        if (firstFrameTimeout == null || firstFrameTimeout.isNegative() || firstFrameTimeout.isZero()) {
            throw new IllegalArgumentException("record-broker.mllp.first-frame-timeout must be positive");
        }
        this.maxPerPeer = maxPerPeer;
        this.firstFrameTimeout = firstFrameTimeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mllp-first-frame-timer");
            t.setDaemon(true);
            return t;
        });
        this.overLimit = Counter.builder("rb.mllp.connections.dropped").tag("reason", "peer-limit")
                .description("MLLP connections closed by the listener's guards").register(meters);
        this.silent = Counter.builder("rb.mllp.connections.dropped").tag("reason", "first-frame-timeout")
                .description("MLLP connections closed by the listener's guards").register(meters);
    }

    /** Counts a new connection from {@code peer}; false (nothing counted) when the peer already has its maximum. */
    public boolean tryOpen(String peer) {
        AtomicInteger count = open.computeIfAbsent(peer, p -> new AtomicInteger());
        while (true) {
            int now = count.get();
            if (now >= maxPerPeer) {
                overLimit.increment();
                return false;
            }
            if (count.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A connection counted by {@link #tryOpen} has ended. */
    public void closed(String peer) {
        open.computeIfPresent(peer, (p, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Open connections of {@code peer} (for tests and diagnostics). */
    public int openConnections(String peer) {
        AtomicInteger count = open.get(peer);
        return count == null ? 0 : count.get();
    }

    /**
     * Runs {@code closeIfSilent} after the first-frame timeout unless the returned future is cancelled first; it
     * answers whether it closed the connection (false when a frame arrived meanwhile).
     */
    public ScheduledFuture<?> watchFirstFrame(BooleanSupplier closeIfSilent) {
        return timer.schedule(() -> {
            if (closeIfSilent.getAsBoolean()) {
                silent.increment();
            }
        }, firstFrameTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * True at most once per peer and reason every 10 s: a peer that opens sockets in a loop must not flood the log
     * (the counters still count every one).
     */
    public boolean shouldLog(String peer, String reason) {
        long now = System.nanoTime();
        String key = peer + ' ' + reason;
        Long last = lastLogged.get(key);
        if (last != null && now - last < LOG_INTERVAL_NANOS) {
            return false;
        }
        if (lastLogged.size() > 10_000) {
            lastLogged.clear(); // bounded: many peers at once
        }
        return last == null ? lastLogged.putIfAbsent(key, now) == null : lastLogged.replace(key, last, now);
    }

    public int maxPerPeer() {
        return maxPerPeer;
    }

    public Duration firstFrameTimeout() {
        return firstFrameTimeout;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
