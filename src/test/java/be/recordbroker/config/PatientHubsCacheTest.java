package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.LoadingCache;

import be.recordbroker.kmehr.HubCallException;

/** The metahub's "which hubs know this patient", cached: answered at once while it ages, asked again behind. */
class PatientHubsCacheTest {

    static final String PATIENT = "61031512350";

    final AtomicLong nanos = new AtomicLong();
    final AtomicInteger asked = new AtomicInteger();
    volatile Set<String> known = Set.of("rsb", "cozo");
    volatile boolean metahubDown;
    final List<Runnable> background = new ArrayList<>();
    final SearchProperties properties = new SearchProperties(); // 30 s TTL, refreshed after 20 s

    final LoadingCache<String, Set<String>> cache = SearchConfiguration.patientHubsCache(properties, ssin -> {
        asked.incrementAndGet();
        if (metahubDown) {
            throw new HubCallException("metahub", false, "unreachable", null);
        }
        return known;
    }, nanos::get, background::add);

    @Test
    void anAgeingEntryIsAnsweredAtOnceAndAskedAgainInTheBackground() {
        assertThat(cache.get(PATIENT)).containsExactlyInAnyOrder("rsb", "cozo");
        known = Set.of("rsb", "cozo", "rsw"); // the patient was seen in Wallonia
        nanos.addAndGet(Duration.ofSeconds(21).toNanos());

        assertThat(cache.get(PATIENT)).as("the old answer, without waiting for the metahub").hasSize(2);
        assertThat(asked).as("not asked on the searching thread").hasValue(1);
        runBackground();
        assertThat(asked).hasValue(2);
        assertThat(cache.get(PATIENT)).as("the fresh answer, before the old one's TTL").hasSize(3);
    }

    @Test
    void aFailedRefreshLeavesTheOldAnswerToExpireThenTheSearchIsTold() {
        cache.get(PATIENT);
        metahubDown = true;
        nanos.addAndGet(Duration.ofSeconds(21).toNanos());
        assertThat(cache.get(PATIENT)).hasSize(2);
        runBackground();
        assertThat(asked).as("the refresh was tried").hasValue(2);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThatThrownBy(() -> cache.get(PATIENT)).as("expired, and the metahub is still down")
                .isInstanceOf(HubCallException.class);
    }

    private void runBackground() {
        List<Runnable> queued = List.copyOf(background);
        background.clear();
        queued.forEach(Runnable::run);
    }
}
