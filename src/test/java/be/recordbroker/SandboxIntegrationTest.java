package be.recordbroker;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import be.recordbroker.sandbox.SandboxFaults;

/**
 * Base of the end-to-end tests: the whole broker with the sandbox network on a random port. Every subclass shares
 * one Spring context (same configuration), so the sandbox starts once per test run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"record-broker.data-dir=target/it-data", "record-broker.health.cache=0s"})
@AutoConfigureObservability
@Import(WireRecorder.class)
public abstract class SandboxIntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected SandboxFaults faults;

    @Autowired
    protected WireRecorder wire;

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    @AfterEach
    void resetFaults() {
        faults.clearAll();
    }
}
