package be.recordbroker;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import be.recordbroker.sandbox.SandboxFaults;

/**
 * Base of the end-to-end tests: the whole broker with the sandbox network on a random port. Every subclass shares
 * one Spring context (same configuration), so the sandbox starts once per test run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"record-broker.data-dir=target/it-data", "record-broker.health.cache=0s",
                "record-broker.ingest.processing-ids=P,T",
                "record-broker.ingest.redelivery.initial-delay=200ms",
                "record-broker.ingest.redelivery.max-delay=2s",
                "record-broker.search.timeout=2s",
                "record-broker.search.circuit.wait-in-open-state=2s",
                "record-broker.search.metahub-cache-ttl=0s"})
@AutoConfigureObservability
@Import(WireRecorder.class)
public abstract class SandboxIntegrationTest {

    /** The broker's MLLP port for this test run: free when the run starts, the same for every test class. */
    protected static final int MLLP_PORT = TestIo.freePort();
    /** The Liège sandbox hospital's own listener (routes/sandbox-lge.camel.yaml). */
    protected static final int LGE_MLLP_PORT = TestIo.freePort();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void mllpPort(DynamicPropertyRegistry registry) {
        registry.add("record-broker.mllp.port", () -> MLLP_PORT);
        registry.add("record-broker.sites.sandbox-lge.mllp-port", () -> LGE_MLLP_PORT);
    }

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
