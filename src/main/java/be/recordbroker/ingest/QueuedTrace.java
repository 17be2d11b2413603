package be.recordbroker.ingest;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The declaring consumer's side of the ingest queue's trace (issue 16): the work on a queued HL7 message runs in a
 * consumer span that continues the MLLP message's trace from the {@code traceparent} property
 * {@link IngestQueueSender} put on it, and is current on the thread, so the hub calls (and log lines) of the
 * declaration are in the MLLP message's trace. Explicit because the JMS consumer's own route span (camel-observation)
 * is not current on the listener container's thread when the route's processors run.
 */
public final class QueuedTrace {

    private final ObservationRegistry registry;

    public QueuedTrace(ObservationRegistry registry) {
        this.registry = registry;
    }

    public void process(Exchange exchange, Processor work) throws Exception {
        if (registry.isNoop()) {
            work.process(exchange);
            return;
        }
        ReceiverContext<Message> context = new ReceiverContext<>((carrier, key) -> carrier.getHeader(key, String.class));
        context.setCarrier(exchange.getIn());
        context.setRemoteServiceName("ingest-queue");
        Observation observation = Observation.createNotStarted("rb.hl7.declare", () -> context, registry)
                .contextualName("hl7 declare").start();
        try (Observation.Scope scope = observation.openScope()) {
            work.process(exchange);
        } catch (Exception | Error e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }
}
