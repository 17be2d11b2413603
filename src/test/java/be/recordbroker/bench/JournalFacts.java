package be.recordbroker.bench;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;

/**
 * What decides the broker's ingest figure, read from the running embedded Artemis and the data directory's disk: the
 * journal type and flush timer, whether the journal's flush timer sleeps or spins, how many journal flushes there
 * were, and the disk's fdatasync latency. The flush count and timer mode are Artemis internals (TimedBuffer), read by
 * reflection: benchmark code only, never the broker's.
 */
final class JournalFacts {

    private JournalFacts() {
    }

    /** Makes Artemis count its journal flushes (TimedBuffer counts only with write-rate logging on: a 2-s timer). */
    static ArtemisConfigurationCustomizer countFlushes() {
        return configuration -> configuration.setLogJournalWriteRate(true);
    }

    static String journal(ActiveMQServer server) {
        var c = server.getConfiguration();
        int timeoutNs = c.getJournalType().name().equals("ASYNCIO") ? c.getJournalBufferTimeout_AIO()
                : c.getJournalBufferTimeout_NIO();
        return String.format(Locale.ROOT, "%s, buffer timeout %d µs", c.getJournalType(), timeoutNs / 1000);
    }

    /** Journal flushes so far (the message journal's TimedBuffer), or -1 when they cannot be read. */
    static LongSupplier flushes(ActiveMQServer server) {
        try {
            Object counter = field(timedBuffer(server), "flushesDone");
            return ((AtomicLong) counter)::get;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return () -> -1;
        }
    }

    /**
     * Artemis' flush timer checks its first 20 sleeps: when more than 10 overshoot by half (a busy or virtualised
     * machine at start-up), it spins (Thread.yield) for every flush timeout for the life of the process.
     */
    static String timerMode(ActiveMQServer server) {
        try {
            Object checker = field(timedBuffer(server), "timerRunnable");
            int checks = (int) field(checker, "checks");
            int failed = (int) field(checker, "failedChecks");
            boolean spinning = checks >= 20 && failed > 10;
            return String.format(Locale.ROOT, "%s (%d of its first %d sleeps overshot by > 50%%)",
                    spinning ? "SPINS" : "sleeps", failed, checks);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /** Median of {@code n} 4-KiB writes each followed by fdatasync (FileChannel.force(false)), in µs. */
    static double fdatasyncP50Micros(Path directory, int n) throws IOException {
        Files.createDirectories(directory);
        Path file = Files.createTempFile(directory, "fdatasync", ".probe");
        long[] micros = new long[n];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocateDirect(4096);
            for (int i = 0; i < n; i++) {
                block.clear();
                channel.write(block, (long) (i % 64) * 4096);
                long t0 = System.nanoTime();
                channel.force(false);
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(micros);
        return micros[n / 2];
    }

    private static Object timedBuffer(ActiveMQServer server) throws ReflectiveOperationException {
        Object journal = field(server.getStorageManager(), "messageJournal");
        Object factory = field(journal, "fileFactory");
        return field(factory, "timedBuffer");
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException next) {
                // up the hierarchy
            }
        }
        throw new NoSuchFieldException(name + " in " + target.getClass().getName());
    }
}
