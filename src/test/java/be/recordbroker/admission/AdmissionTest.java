package be.recordbroker.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** The lane's bounds: in flight, queued (length and wait), the refusal's counting and Retry-After. */
class AdmissionTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private Admission lane(int inFlight, int queued, Duration timeout) {
        AdmissionProperties.Lane settings = new AdmissionProperties.Lane(inFlight, queued);
        settings.setQueueTimeout(timeout);
        return new Admission("search", settings, Duration.ofMillis(1500), BulkheadRegistry.ofDefaults(), meters);
    }

    private double refused(String cause) {
        return meters.get("rb.admission.refused").tags("lane", "search", "face", "rest", "cause", cause).counter()
                .count();
    }

    @Test
    void aFullQueueIsRefusedAtOnceAndAQueuedRequestAfterTheTimeout() throws Exception {
        Admission lane = lane(1, 1, Duration.ofMillis(300));
        Admission.Permit first = lane.enter("rest");
        // the queued one waits its 300 ms; meanwhile the queue is full and a third is refused without waiting
        CompletableFuture<Throwable> queued = CompletableFuture.supplyAsync(() -> {
            try {
                lane.enter("rest").close();
                return null;
            } catch (Admission.Overloaded e) {
                return e;
            }
        });
        Thread.sleep(100);
        long start = System.nanoTime();
        assertThatThrownBy(() -> lane.enter("rest")).isInstanceOf(Admission.Overloaded.class)
                .hasMessageContaining("queue-full").hasMessageContaining("retry after 2 s");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(200);
        assertThat(queued.get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Overloaded.class)
                .hasMessageContaining("queue-timeout");
        assertThat(refused("queue-full")).isEqualTo(1);
        assertThat(refused("queue-timeout")).isEqualTo(1);
        assertThat(((Admission.Overloaded) queued.get()).retryAfterSeconds()).isEqualTo(2); // 1.5 s rounded up

        first.close();
        first.close(); // once only: a second close frees nothing more
        Admission.Permit again = lane.enter("rest");
        assertThat(lane.inFlight()).isEqualTo(1);
        assertThatThrownBy(() -> lane.enter("rest")).isInstanceOf(Admission.Overloaded.class);
        again.close();
        assertThat(lane.inFlight()).isZero();
    }

    @Test
    void aQueuedRequestGetsThePlaceFreedWithinTheTimeout() throws Exception {
        Admission lane = lane(1, 1, Duration.ofSeconds(5));
        Admission.Permit first = lane.enter("rest");
        CompletableFuture<Admission.Permit> queued = CompletableFuture.supplyAsync(() -> lane.enter("rest"));
        Thread.sleep(100);
        assertThat(queued).isNotDone();
        first.close();
        queued.get(5, TimeUnit.SECONDS).close();
        assertThat(refused("queue-timeout")).isZero();
    }
}
