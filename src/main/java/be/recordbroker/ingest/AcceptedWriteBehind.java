package be.recordbroker.ingest;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the listener's hl7_accepted rows behind the AA, many per transaction. A commit per message was most of
 * the listener's CPU (H2 writes a new file chunk per commit, rewriting the key index's pages), and waiting for it
 * is not what makes the AA safe: the message is already durable in the queue's journal when the row is handed here.
 *
 * <p>Until its row is committed a message is "pending" and {@link #isPending} says so, so this instance still
 * recognises a duplicate in that window. A crash loses at most the pending rows: those messages are on the queue,
 * and the declaring consumer records the accepted row when it applies them ({@link IngestLedger#recordApplied});
 * a resend in between is caught by the queue's duplicate detection or, at the latest, by the applied ledger.
 */
final class AcceptedWriteBehind implements AutoCloseable {

    /** One accepted message. */
    record Row(String facility, String controlId, String messageType, Timestamp acceptedAt) {
        String key() {
            return key(facility, controlId);
        }

        static String key(String facility, String controlId) {
            return facility + '\u0000' + controlId;
        }
    }

    /** Rows that arrive within this window share one commit: H2 rewrites the index pages a commit touches, so a
     * row costs ~110 µs of CPU in a commit of 16, ~13 µs in one of 256. */
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int MAX_BATCH = 5000;
    /** Beyond this many unwritten rows (the database refuses writes) the listener answers AE instead of accepting. */
    static final int MAX_BACKLOG = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(AcceptedWriteBehind.class);

    private final LinkedBlockingQueue<Row> queue = new LinkedBlockingQueue<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Consumer<List<Row>> writer;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code writer} inserts a batch in one transaction, skipping rows already there; it throws on failure. */
    AcceptedWriteBehind(Consumer<List<Row>> writer) {
        this.writer = writer;
        this.thread = new Thread(this::run, "rb-accepted-ledger");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void add(Row row) {
        pending.add(row.key());
        queue.add(row);
    }

    boolean isPending(String facility, String controlId) {
        return pending.contains(Row.key(facility, controlId));
    }

    int backlog() {
        return pending.size();
    }

    private void run() {
        long failingSince = 0;
        List<Row> batch = new ArrayList<>();
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Row first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    if (running) {
                        LockSupport.parkNanos(WINDOW_NANOS); // let the other connections' rows join this commit
                    }
                }
                queue.drainTo(batch, MAX_BATCH - batch.size());
                writer.accept(batch);
                for (Row row : batch) {
                    pending.remove(row.key());
                }
                batch.clear();
                if (failingSince != 0) {
                    LOG.info("accepted-message ledger writable again");
                    failingSince = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (failingSince == 0) {
                    failingSince = System.nanoTime();
                    LOG.warn("could not write {} accepted-message ledger rows, retrying: {}", batch.size(),
                            e.getClass().getSimpleName());
                }
                if (!running) {
                    LOG.warn("stopping with {} accepted-message ledger rows unwritten; their messages are queued and "
                            + "are recorded when applied", pending.size());
                    return;
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    /** Writes what is pending (bounded wait), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
