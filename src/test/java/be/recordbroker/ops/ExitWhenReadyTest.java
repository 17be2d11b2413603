package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ExitWhenReadyTest {

    @Test
    void exitsOnlyOnceTheWarmUpIsDone() throws Exception {
        AtomicBoolean warmedUp = new AtomicBoolean();
        AtomicInteger exits = new AtomicInteger();
        ExitWhenReady training = new ExitWhenReady(warmedUp::get, Duration.ofSeconds(30), exits::incrementAndGet);
        Thread waiting = new Thread(training::awaitThenExit);
        waiting.start();

        Thread.sleep(300);
        assertThat(exits.get()).as("not before the warm-up is done").isZero();

        warmedUp.set(true);
        waiting.join(5_000);
        assertThat(exits.get()).isEqualTo(1);
    }

    @Test
    void exitsAfterItsLimitWhenTheWarmUpNeverEnds() {
        AtomicInteger exits = new AtomicInteger();

        new ExitWhenReady(() -> false, Duration.ofMillis(200), exits::incrementAndGet).awaitThenExit();

        assertThat(exits.get()).isEqualTo(1);
    }
}
