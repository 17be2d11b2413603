package be.recordbroker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A paced load: {@code clients} threads share one schedule of calls due every 1/rate seconds (an open loop at a fixed
 * arrival rate, with at most {@code clients} calls in flight). Each call's latency runs from the moment it was due, so
 * a call that starts late because every client was busy counts its wait (no coordinated omission); such late starts are
 * counted too. Unlike {@link ClosedLoop}, the load does not grow to fill the machine: the figures belong to a stated
 * rate, below saturation when the rate is.
 */
final class PacedLoad {

    /** A call that starts this long after it was due was held up: every client busy, or no core free to wake one. */
    static final long LATE_NANOS = 5_000_000;

    /** One paced phase: its latencies and this process's CPU as {@link ClosedLoop.Phase}, and the late starts. */
    record Paced(ClosedLoop.Phase phase, long lateStarts) {
    }

    private final int clients;

    PacedLoad(int clients) {
        this.clients = clients;
    }

    /** Runs {@code action} at {@code perSecond} calls a second, from {@link #clients} threads, for a while. */
    Paced measure(Runnable action, double perSecond, int forSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients, ThreadGroupCpu.counted("bench-client"));
        long period = Math.round(1e9 / perSecond);
        long cpu0 = ClosedLoop.processCpuNanos();
        long wall0 = System.nanoTime();
        long start = wall0 + 20_000_000; // the clients' threads are up before the first call is due
        long end = start + forSeconds * 1_000_000_000L;
        AtomicLong next = new AtomicLong();
        AtomicLong late = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                ClosedLoop.Latencies samples = new ClosedLoop.Latencies();
                for (long due = start + next.getAndIncrement() * period; due < end;
                     due = start + next.getAndIncrement() * period) {
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() - due > LATE_NANOS) {
                        late.incrementAndGet();
                    }
                    action.run();
                    samples.add(System.nanoTime() - due);
                }
                return samples.toArray();
            }));
        }
        return new Paced(ClosedLoop.phase(ClosedLoop.collect(pool, futures), forSeconds, ClosedLoop.processCpuNanos() - cpu0,
                System.nanoTime() - wall0), late.get());
    }
}
