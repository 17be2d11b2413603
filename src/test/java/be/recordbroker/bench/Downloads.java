package be.recordbroker.bench;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The retrieval benchmarks' client: one download through a 64 KB buffer, bytes counted and dropped, by a blocking
 * single-threaded client (like curl), the same for an anchor and the broker; and the medians of rounds.
 */
final class Downloads {

    /** An action run every {@code every} bytes of a download (e.g. a heap measure). */
    record Checkpoint(long every, Runnable action) {
    }

    private Downloads() {
    }

    /** The nanoseconds one download takes. */
    static long nanos(String url, String token, long size) throws Exception {
        long start = System.nanoTime();
        download(url, token, size, null);
        return System.nanoTime() - start;
    }

    /** Downloads {@code url} (with the bearer token if any); fails unless a 200 delivers exactly {@code size} bytes. */
    static void download(String url, String token, long size, Checkpoint checkpoint) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(60_000);
        if (token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        int status = connection.getResponseCode();
        if (status != 200) {
            InputStream error = connection.getErrorStream();
            throw new IllegalStateException(url + " answered " + status + ": "
                    + (error == null ? "" : new String(error.readAllBytes())));
        }
        try (InputStream in = connection.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            long next = checkpoint == null ? Long.MAX_VALUE : checkpoint.every();
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total >= next) {
                    checkpoint.action().run();
                    next += checkpoint.every();
                }
            }
            if (total != size) {
                throw new IllegalStateException(url + " delivered " + total + " of " + size + " bytes");
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v)).toList().toString();
    }
}
