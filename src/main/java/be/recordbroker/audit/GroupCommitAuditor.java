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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import be.recordbroker.access.AccessAuditor;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessRequest;

/**
 * Writes audit rows by group commit: concurrent requests hand their row to one writer thread, which appends all rows
 * waiting at that moment in one transaction (one commit, one head-row lock) and then releases every request. Each
 * request still returns only once its own row is committed — "written before data leaves" holds — but under load
 * the chain's single serialisation point costs one commit per batch instead of one per access. A row not committed
 * within {@code timeout} fails its request (the gate then denies).
 */
public final class GroupCommitAuditor implements AccessAuditor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitAuditor.class);

    private record Pending(AuditEvent event, CompletableFuture<AuditEvent> done) {
    }

    private final JdbcAuditTrail trail;
    private final int maxBatch;
    private final Duration timeout;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private volatile boolean running = true;

    public GroupCommitAuditor(JdbcAuditTrail trail, int maxBatch, int maxQueued, Duration timeout) {
        this.trail = trail;
        this.maxBatch = maxBatch;
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
        CompletableFuture<AuditEvent> done = new CompletableFuture<>();
        try {
            if (!running || !queue.offer(new Pending(JdbcAuditTrail.eventOf(request, decision), done),
                    timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new JdbcAuditTrail.AuditWriteException("the audit writer is not accepting rows", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JdbcAuditTrail.AuditWriteException("interrupted while the audit row was queued", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        return () -> await(done, deadline);
    }

    private void await(CompletableFuture<AuditEvent> done, long deadline) {
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JdbcAuditTrail.AuditWriteException("interrupted while the audit row was written", e);
        } catch (ExecutionException e) {
            throw new JdbcAuditTrail.AuditWriteException("the audit row could not be written", e.getCause());
        } catch (TimeoutException e) {
            throw new JdbcAuditTrail.AuditWriteException("the audit row was not written within " + timeout, e);
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
                try {
                    List<AuditEvent> written = trail.appendAll(batch.stream().map(Pending::event).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).done().complete(written.get(i));
                    }
                } catch (RuntimeException e) {
                    LOG.error("audit batch of {} rows not written ({})", batch.size(), e.getClass().getSimpleName());
                    batch.forEach(p -> p.done().completeExceptionally(e));
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // rows still waiting after a stop are refused, not lost silently: their requests were denied
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new JdbcAuditTrail.AuditWriteException("the audit writer stopped", null));
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(timeout.toMillis() + 1000);
    }
}
