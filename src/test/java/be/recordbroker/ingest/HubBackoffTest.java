package be.recordbroker.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** A failing hub's pause grows to the max delay and starts again after a success; age decides the dead letter. */
class HubBackoffTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private HubBackoff backoff(Duration initial, Duration max, Duration maxAge) {
        IngestProperties.Redelivery settings = new IngestProperties.Redelivery();
        settings.setInitialDelay(initial);
        settings.setMultiplier(2.0);
        settings.setMaxDelay(max);
        settings.setMaxAge(maxAge);
        settings.setFailuresBeforePause(1);
        HubBackoff backoff = new HubBackoff(settings, Clock.fixed(NOW, ZoneOffset.UTC), meters);
        backoff.register(null, "cozo", "hl7-declare-cozo"); // no Camel here: only the delays are observed
        return backoff;
    }

    private double pauseSeconds() {
        return meters.get("rb.hl7.hub.backoff").tag("hub", "cozo").gauge().value();
    }

    /** Fails once, reads the pause it caused, and waits until the hub consumes again. */
    private double failAndReadPause(HubBackoff backoff) {
        backoff.failed("cozo", new RuntimeException("down"));
        double pause = pauseSeconds();
        backoff.failed("cozo", new RuntimeException("another consumer, same outage")); // no second pause
        assertThat(pauseSeconds()).isEqualTo(pause);
        await().atMost(Duration.ofSeconds(5)).until(() -> pauseSeconds() == 0.0);
        return pause;
    }

    @Test
    void thePauseDoublesUpToTheMaxDelayAndASuccessStartsItAgain() {
        try (HubBackoff backoff = backoff(Duration.ofMillis(20), Duration.ofMillis(70), Duration.ofHours(6))) {
            assertThat(pauseSeconds()).isZero();
            assertThat(failAndReadPause(backoff)).isEqualTo(0.020);
            assertThat(failAndReadPause(backoff)).isEqualTo(0.040);
            assertThat(failAndReadPause(backoff)).isEqualTo(0.070);
            assertThat(failAndReadPause(backoff)).isEqualTo(0.070);
            backoff.succeeded("cozo");
            assertThat(failAndReadPause(backoff)).isEqualTo(0.020);
        }
    }

    @Test
    void aStrayFailureIsRetriedAtOnceAndOnlyFailuresInARowPause() {
        IngestProperties.Redelivery settings = new IngestProperties.Redelivery();
        settings.setInitialDelay(Duration.ofMillis(20));
        settings.setFailuresBeforePause(3);
        try (HubBackoff backoff = new HubBackoff(settings, Clock.systemUTC(), meters)) {
            backoff.register(null, "cozo", "hl7-declare-cozo");
            backoff.failed("cozo", new RuntimeException("stray"));
            backoff.failed("cozo", new RuntimeException("stray"));
            backoff.succeeded("cozo");
            backoff.failed("cozo", new RuntimeException("stray"));
            backoff.failed("cozo", new RuntimeException("stray"));
            assertThat(pauseSeconds()).as("a success between: never three in a row").isZero();
            backoff.failed("cozo", new RuntimeException("down"));
            assertThat(pauseSeconds()).isEqualTo(0.020);
        }
    }

    @Test
    void onlyAMessageOlderThanTheMaxAgeIsTooOld() {
        try (HubBackoff backoff = backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(6))) {
            long now = NOW.toEpochMilli();
            assertThat(backoff.tooOld(Long.toString(now - Duration.ofHours(5).toMillis()))).isFalse();
            assertThat(backoff.tooOld(Long.toString(now - Duration.ofHours(6).toMillis() - 1))).isTrue();
            assertThat(backoff.tooOld(null)).as("no enqueue time: never dead-lettered by age").isFalse();
        }
    }
}
