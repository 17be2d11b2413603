package be.recordbroker.ops;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * The training run of the Docker image's AOT cache (docker/Dockerfile; {@code record-broker.warm-up.exit-when-ready}):
 * the JDK writes the cache of what the process loaded, linked and profiled when it exits, so a run stopped once every
 * bean is made ({@code spring.context.exit=onRefresh}) leaves out what a start does after that — Tomcat, Camel's
 * routes, the hub clients of the warm-up. This stops the application once it is ready (started, and the warm-up done),
 * as an operator's stop would. Off by default; never in a running broker.
 */
public final class ExitWhenReady implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ExitWhenReady.class);
    private static final long POLL_MILLIS = 50;

    private final BooleanSupplier warmedUp;
    private final Duration atMost;
    private final Runnable exit;

    /**
     * @param warmedUp whether the warm-up is done
     * @param atMost   how long to wait for it after the application is ready
     * @param exit     stops the application and the JVM
     */
    public ExitWhenReady(BooleanSupplier warmedUp, Duration atMost, Runnable exit) {
        this.warmedUp = warmedUp;
        this.atMost = atMost;
        this.exit = exit;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Thread thread = new Thread(this::awaitThenExit, "rb-exit-when-ready");
        thread.setDaemon(true);
        thread.start();
    }

    void awaitThenExit() {
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            while (!warmedUp.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Ready (warm-up {}): exiting, as record-broker.warm-up.exit-when-ready asks",
                warmedUp.getAsBoolean() ? "done" : "not done in " + atMost);
        exit.run();
    }
}
