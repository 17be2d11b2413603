package be.recordbroker.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import be.recordbroker.access.AccessAuditor;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;

/**
 * Writes audit rows by group commit: concurrent requests hand their row to one writer thread, which appends all rows
 * waiting at that moment in one transaction (one commit, one head-row lock) and then releases every request. Each
 * request still returns only once its own row is committed — "written before data leaves" holds — but under load
 * the chain's single serialisation point costs one commit per batch instead of one per access.
 *
 * <p><b>Batch isolation.</b> When a batch cannot be stored, its rows are retried one by one: only a row that cannot be
 * stored alone fails (its request is then denied {@code AUDIT_UNAVAILABLE}); the others are written and answered.
 *
 * <p><b>The answer and the row agree.</b> Each queued row is claimed exactly once, by compare-and-set: either the
 * writer claims it before its transaction starts (the caller then waits for that transaction's outcome, however long
 * it takes — it is bounded by the database's own timeouts), or the caller, whose wait of {@code timeout} ran out,
 * claims it first and answers {@code AUDIT_UNAVAILABLE}. A row abandoned that way is still written, as what was
 * answered: an allowed access becomes {@code deny AUDIT_UNAVAILABLE} (a denied one stays as it was). So no row ever
 * commits ALLOW for an access that was refused.
 *
 * <p><b>Commit delay.</b> A row whose caller goes on working before it waits for it ({@link #startDeferred}: a search
 * asks its hubs meanwhile) may be held up to {@code commitDelay} for the rows that follow, so that they share its
 * commit (PostgreSQL's {@code commit_delay}, for the rows nobody waits for yet). It costs no answer any time: the batch
 * is committed at once when a row in it is one its caller waits for ({@link #start}), and when the caller of a held row
 * starts waiting for it ({@link Recording#await()} wakes the writer). With 25 ms, searches 17 ms apart (60 a second)
 * share a commit by two, 9 ms apart by three: fewer page writes on H2, fewer WAL flushes on PostgreSQL
 * (docs/benchmarks.md).
 *
 * <p><b>The writer survives.</b> Any throwable (an {@code Error} included) around a batch fails that batch's rows, is
 * counted ({@link #writerFailures()}) and logged; the loop goes on.
 */
public final class GroupCommitAuditor implements AccessAuditor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitAuditor.class);

    private static final int QUEUED = 0;
    private static final int WRITING = 1;
    private static final int ABANDONED = 2;

    static final class Pending {
        final AuditEvent event;
        /** Its caller works on before waiting for it: the writer may hold it up to the commit delay. */
        final boolean deferred;
        final CompletableFuture<AuditEvent> done = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        final long queuedAt = System.nanoTime();

        Pending(AuditEvent event, boolean deferred) {
            this.event = event;
            this.deferred = deferred;
        }

        /** The row the writer stores: as decided, or as answered when the caller gave up on it. */
        AuditEvent toWrite() {
            if (state.get() == ABANDONED && AuditEvent.ALLOW.equals(event.decision())) {
                return new AuditEvent(event.seq(), event.recordedAt(), event.requestId(), event.face(),
                        event.actorNihii(), event.actorSsin(), event.actorProfession(), event.actorName(),
                        event.patientSsin(), event.action(), event.documentId(), event.query(), AuditEvent.DENY,
                        AccessReason.AUDIT_UNAVAILABLE.name(), event.breakTheGlass(), event.client(), null, null);
            }
            return event;
        }
    }

    /** Put in the queue by a caller that starts waiting for a held row: the writer commits what it holds at once. */
    private static final Pending HURRY = new Pending(null, false);

    private final JdbcAuditTrail trail;
    private final int maxBatch;
    private final long commitDelayNanos;
    private final Duration timeout;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private final AtomicLong writerFailures = new AtomicLong();
    private final AtomicLong abandonedRows = new AtomicLong();
    private volatile boolean running = true;
    private volatile BatchObserver observer = (rows, oldestWaitNanos) -> { };

    /** Told after each batch the writer committed: its size and how long its oldest row waited (the writer's lag). */
    @FunctionalInterface
    public interface BatchObserver {
        void committed(int rows, long oldestWaitNanos);
    }

    public GroupCommitAuditor(JdbcAuditTrail trail, int maxBatch, int maxQueued, Duration timeout) {
        this(trail, maxBatch, maxQueued, timeout, Duration.ZERO);
    }

    /**
     * @param commitDelay how long a deferred row ({@link #startDeferred}) may wait for others to share its commit
     *                    while nobody waits for it; zero: each batch is committed as soon as the writer takes it up
     */
    public GroupCommitAuditor(JdbcAuditTrail trail, int maxBatch, int maxQueued, Duration timeout,
                              Duration commitDelay) {
        this.trail = trail;
        this.maxBatch = maxBatch;
        this.commitDelayNanos = commitDelay.toNanos();
        this.timeout = timeout;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.writer = new Thread(this::writeLoop, "audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void record(AccessRequest request, AccessDecision decision) {
        start(request, decision).await();
    }

    /** Queues the row for the next group commit; {@link Recording#await()} waits for that commit. */
    @Override
    public Recording start(AccessRequest request, AccessDecision decision) {
        return start(JdbcAuditTrail.eventOf(request, decision), false);
    }

    /**
     * Queues the row for a group commit that may wait up to the commit delay for the rows after it, until
     * {@link Recording#await()} is called: for a caller that works on meanwhile.
     */
    @Override
    public Recording startDeferred(AccessRequest request, AccessDecision decision) {
        return start(JdbcAuditTrail.eventOf(request, decision), true);
    }

    /** Queues a row as it is (package-private: tests hand rows the faces would have refused). */
    Recording start(AuditEvent event) {
        return start(event, false);
    }

    Recording start(AuditEvent event, boolean deferred) {
        Pending pending = new Pending(event, deferred && commitDelayNanos > 0);
        try {
            if (!running || !queue.offer(pending, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new JdbcAuditTrail.AuditWriteException("the audit writer is not accepting rows", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JdbcAuditTrail.AuditWriteException("interrupted while the audit row was queued", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!pending.deferred) {
            return () -> await(pending, deadline);
        }
        return () -> {
            if (pending.state.get() == QUEUED) {
                queue.offer(HURRY); // a full queue has a writer at work: nothing is held then
            }
            await(pending, deadline);
        };
    }

    private void await(Pending pending, long deadline) {
        try {
            try {
                pending.done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (pending.state.compareAndSet(QUEUED, ABANDONED)) {
                    abandonedRows.incrementAndGet();
                    throw new JdbcAuditTrail.AuditWriteException("the audit row was not written within " + timeout
                            + " (it will be written as a denial)", e);
                }
                // the writer holds the row: its transaction decides, and the answer follows it
                pending.done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (pending.state.compareAndSet(QUEUED, ABANDONED)) {
                throw new JdbcAuditTrail.AuditWriteException("interrupted while the audit row was written", e);
            }
            // claimed by the writer: the outcome is not known here; the row may commit. Wait for it uninterruptibly.
            waitUninterruptibly(pending);
        } catch (ExecutionException e) {
            throw new JdbcAuditTrail.AuditWriteException("the audit row could not be written", e.getCause());
        }
    }

    private static void waitUninterruptibly(Pending pending) {
        try {
            pending.done.join();
        } catch (RuntimeException e) {
            throw new JdbcAuditTrail.AuditWriteException("the audit row could not be written", e);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (!hurried(batch) && commitDelayNanos > 0 && nobodyWaits(batch)) {
                    holdForMore(batch, batch.get(0).queuedAt + commitDelayNanos);
                }
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(batch, new JdbcAuditTrail.AuditWriteException("the audit writer was interrupted", e));
                break;
            } catch (Throwable t) { // NOPMD: the writer must outlive anything one batch throws, Errors included
                writerFailures.incrementAndGet();
                LOG.error("audit writer: batch of {} rows failed with {}; the writer goes on", batch.size(),
                        t.getClass().getName());
                failAll(batch, new JdbcAuditTrail.AuditWriteException("the audit writer failed: "
                        + t.getClass().getSimpleName(), t));
            } finally {
                batch.clear();
            }
        }
        // rows still waiting after a stop are refused, not lost silently: their requests were denied
        Pending left;
        while ((left = queue.poll()) != null) {
            if (left == HURRY) {
                continue;
            }
            left.state.compareAndSet(QUEUED, WRITING);
            left.done.completeExceptionally(new JdbcAuditTrail.AuditWriteException("the audit writer stopped", null));
        }
    }

    /**
     * Adds the rows that come before the oldest held row's delay ends; stops early when the batch is full, a row comes
     * whose caller waits for it, or a caller starts waiting for a held one.
     */
    private void holdForMore(List<Pending> batch, long until) throws InterruptedException {
        while (batch.size() < maxBatch) {
            long left = until - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
            if (hurried(batch) || !nobodyWaits(batch)) {
                return;
            }
        }
    }

    /** Whether every row of the batch is a deferred one, whose caller is not waiting for it yet. */
    private static boolean nobodyWaits(List<Pending> batch) {
        for (Pending p : batch) {
            if (!p.deferred) {
                return false;
            }
        }
        return true;
    }

    /** Takes the wake-up marks out of the batch: whether there was one. */
    private static boolean hurried(List<Pending> batch) {
        return batch.removeIf(p -> p == HURRY);
    }

    /** Claims and writes a batch; when it fails, each row alone, so that one bad row fails only itself. */
    private void write(List<Pending> batch) {
        for (Pending p : batch) {
            // claims the row; one its caller abandoned is written as what he answered (see toWrite)
            p.state.compareAndSet(QUEUED, WRITING);
        }
        try {
            complete(batch, trail.appendAll(batch.stream().map(Pending::toWrite).toList()));
            observer.committed(batch.size(), System.nanoTime() - batch.get(0).queuedAt);
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                LOG.error("audit row not written ({})", e.getClass().getSimpleName());
                batch.get(0).done.completeExceptionally(e);
                return;
            }
            LOG.warn("audit batch of {} rows not written ({}): retrying each row alone", batch.size(),
                    e.getClass().getSimpleName());
        }
        int failed = 0;
        for (Pending p : batch) {
            try {
                complete(List.of(p), trail.appendAll(List.of(p.toWrite())));
            } catch (RuntimeException e) {
                failed++;
                p.done.completeExceptionally(e);
            }
        }
        if (failed > 0) {
            LOG.error("audit: {} of {} rows could not be written alone ({} denied AUDIT_UNAVAILABLE)", failed,
                    batch.size(), failed);
        }
    }

    private static void complete(List<Pending> rows, List<AuditEvent> written) {
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).done.complete(written.get(i));
        }
    }

    private static void failAll(List<Pending> rows, RuntimeException cause) {
        for (Pending p : rows) {
            p.state.compareAndSet(QUEUED, WRITING);
            p.done.completeExceptionally(cause); // no-op for rows already completed
        }
    }

    /** Throwables the writer caught around a batch since it started (it goes on after each). */
    public long writerFailures() {
        return writerFailures.get();
    }

    /** Rows whose callers stopped waiting (answered AUDIT_UNAVAILABLE); written as denials. */
    public long abandonedRows() {
        return abandonedRows.get();
    }

    /** Rows queued and not yet taken by the writer. */
    public int queuedRows() {
        return queue.size();
    }

    /** Who hears of each committed batch (the metrics); one at a time. */
    public void observeBatches(BatchObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    /** Whether the writer thread runs. */
    public boolean writerAlive() {
        return writer.isAlive();
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(timeout.toMillis() + 1000);
    }
}
