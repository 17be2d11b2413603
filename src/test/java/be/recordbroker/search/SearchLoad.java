package be.recordbroker.search;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A closed-loop search load from outside, as autocannon makes it: {@code connections} client threads, each sending the
 * next search as soon as the last was answered (no pause after a 503: the harshest caller), over one
 * {@link HttpClient} that opens a connection per busy thread. Every answer is classified: a complete 200 (with
 * documents), an incomplete or empty 200, a 503 that is a proper refusal (Retry-After, problem+json OVERLOADED), and
 * anything else.
 */
public final class SearchLoad {

    /** What one run saw. */
    public record Result(int connections, double seconds, long complete, long incomplete, long refused,
                         long refusedMalformed, long other, long p50CompleteMillis, long maxCompleteMillis,
                         List<String> samples) {

        public double goodput() {
            return complete / seconds;
        }

        public String line() {
            return String.format(Locale.ROOT, "%4d connections: %7.1f complete/s, %6d complete, %5d incomplete, %7d"
                            + " refused (503), %d malformed 503, %d other; complete p50 %d ms, max %d ms",
                    connections, goodput(), complete, incomplete, refused, refusedMalformed, other, p50CompleteMillis,
                    maxCompleteMillis);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchLoad() {
    }

    /** Runs the load for {@code duration} and waits for the answers in flight. */
    public static Result run(URI search, String token, int connections, Duration duration) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(search).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).GET().build();
        AtomicLong complete = new AtomicLong();
        AtomicLong incomplete = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong refusedMalformed = new AtomicLong();
        AtomicLong other = new AtomicLong();
        ConcurrentLinkedQueue<Long> completeMillis = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long took = (System.nanoTime() - sent) / 1_000_000;
                        if (answer.statusCode() == 200) {
                            JsonNode body = JSON.readTree(answer.body());
                            if (body.path("complete").asBoolean() && body.path("documents").size() > 0) {
                                complete.incrementAndGet();
                                completeMillis.add(took);
                            } else {
                                incomplete.incrementAndGet();
                                sample(samples, "200 " + body.path("hubs"));
                            }
                        } else if (answer.statusCode() == 503) {
                            refused.incrementAndGet();
                            boolean proper = answer.headers().firstValue("Retry-After").filter(v -> v.matches("[1-9][0-9]*")).isPresent()
                                    && answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                                    && "OVERLOADED".equals(JSON.readTree(answer.body()).path("reason").asText());
                            if (!proper) {
                                refusedMalformed.incrementAndGet();
                                sample(samples, "503 " + answer.headers().map() + " " + answer.body());
                            }
                        } else {
                            other.incrementAndGet();
                            sample(samples, answer.statusCode() + " " + answer.body());
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        other.incrementAndGet();
                        sample(samples, e.toString());
                    }
                }
            }, "search-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> millis = new ArrayList<>(completeMillis);
        Collections.sort(millis);
        return new Result(connections, seconds, complete.get(), incomplete.get(), refused.get(), refusedMalformed.get(),
                other.get(), millis.isEmpty() ? -1 : millis.get(millis.size() / 2),
                millis.isEmpty() ? -1 : millis.get(millis.size() - 1), List.copyOf(samples));
    }

    private static void sample(ConcurrentLinkedQueue<String> samples, String text) {
        if (samples.size() < 5) {
            samples.add(text.length() > 600 ? text.substring(0, 600) : text);
        }
    }
}
