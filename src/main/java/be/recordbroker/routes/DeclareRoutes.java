package be.recordbroker.routes;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.ingest.DataErrors;
import be.recordbroker.ingest.DocumentNotYetAnnounced;
import be.recordbroker.ingest.HubBackoff;
import be.recordbroker.ingest.Hl7Applier;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.ingest.IngestQueues;
import be.recordbroker.kmehr.HubCallException;
import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.Network;

/**
 * The hubs' queues out: one route per hub, its own consumers, each message applied at that hub (DeclareTransaction,
 * RevokeTransaction, PutPatient). A hub that rejects a message (a permanent failure), or a message whose data the
 * declaration or the ledger cannot hold ({@link DataErrors}), goes to the dead-letter queue at once. Any other failure
 * rolls the message back to the head of its hub's queue and pauses only that hub's consumers, for a growing delay
 * ({@link HubBackoff}); one patient's messages (one JMS message group) stay in order, and the other hubs'
 * declarations go on. A message that still fails after the max age goes to the dead-letter queue.
 * A T11 or T10 naming a document not announced yet ({@link DocumentNotYetAnnounced}) waits at the end of the queue.
 */
@Component
public class DeclareRoutes extends RouteBuilder {

    /** The route of one hub's queue is {@code hl7-declare-<hub>}. */
    public static final String DECLARE_ROUTE_PREFIX = "hl7-declare-";
    static final String LEGACY_ROUTE = "hl7-declare-legacy-queue";
    static final String DEAD_LETTER_ROUTE = "hl7-dead-letter";

    private final Hl7Applier applier;
    private final IngestProperties properties;
    private final Network network;
    private final HubBackoff backoff;

    private final be.recordbroker.ingest.QueuedTrace trace;

    public DeclareRoutes(Hl7Applier applier, IngestProperties properties, Network network, HubBackoff backoff,
                         org.springframework.beans.factory.ObjectProvider<io.micrometer.observation.ObservationRegistry>
                                 observations) {
        this.applier = applier;
        this.properties = properties;
        this.network = network;
        this.backoff = backoff;
        this.trace = new be.recordbroker.ingest.QueuedTrace(
                observations.getIfAvailable(() -> io.micrometer.observation.ObservationRegistry.NOOP));
    }

    @Override
    public void configure() {
        for (HubEndpoint hub : network.hubEndpoints()) {
            hubRoute(hub.hub().code());
        }

        // messages an earlier version queued for all hubs together: moved to their hub's queue, group kept
        from("jms:queue:" + IngestQueues.INGEST + "?transacted=true&lazyCreateTransactionManager=false"
                + "&concurrentConsumers=1&cacheLevelName=CACHE_CONSUMER")
                .routeId(LEGACY_ROUTE)
                .toD("jms:queue:" + IngestQueues.DECLARE_PREFIX + "${header." + IngestQueues.HUB + "}"
                        + "?deliveryPersistent=true&explicitQosEnabled=true&disableReplyTo=true");

        from("direct:" + DEAD_LETTER_ROUTE).routeId(DEAD_LETTER_ROUTE)
                .process(applier::deadLettered)
                .to("jms:queue:" + IngestQueues.DEAD_LETTER + "?deliveryPersistent=true&explicitQosEnabled=true"
                        + "&disableReplyTo=true");
    }

    private void hubRoute(String hub) {
        String routeId = DECLARE_ROUTE_PREFIX + hub;
        backoff.register(getContext(), hub, routeId);
        from("jms:queue:" + IngestQueues.declareQueue(hub) + "?transacted=true&lazyCreateTransactionManager=false"
                + "&concurrentConsumers=" + properties.consumersFor(hub) + "&cacheLevelName=CACHE_CONSUMER"
                // a rollback is expected while a hub is down: HubBackoff says so once per pause, without a stack trace
                + "&errorHandlerLoggingLevel=DEBUG&errorHandlerLogStackTrace=false")
                .routeId(routeId)
                // no retry in place: a failure that is not handled below rolls the JMS transaction back
                .errorHandler(defaultErrorHandler().maximumRedeliveries(0).logExhausted(false))
                // the document it names is not announced yet (its T02 may still be in a killed instance's hands, the
                // patient's group already bound here): to the end of this hub's queue, delayed, with its wait counted;
                // no hub pause, the hub is fine
                .onException(DocumentNotYetAnnounced.class)
                    .handled(true)
                    .process(applier::waitingForAnnouncement)
                    .to("jms:queue:" + IngestQueues.declareQueue(hub)
                            + "?deliveryDelay=" + properties.getRedelivery().getUnannouncedDelay().toMillis()
                            + "&deliveryPersistent=true&explicitQosEnabled=true&disableReplyTo=true")
                .end()
                // a message HAPI cannot read will not read better later
                .onException(ca.uhn.hl7v2.HL7Exception.class)
                    .handled(true)
                    .to("direct:" + DEAD_LETTER_ROUTE)
                .end()
                .onException(HubCallException.class)
                    .onWhen(exchange -> caught(exchange) instanceof HubCallException e && e.permanent())
                    .handled(true)
                    .to("direct:" + DEAD_LETTER_ROUTE)
                .end()
                // a value the message carries that the declaration or the ledger cannot hold (a document number or a
                // field too long: the listener refuses those, this is the net under it) will not fit better later;
                // rolled back, it would be redelivered at once and pause the hub until the max age
                .onException(DocumentDeclaration.InvalidDeclarationException.class,
                        DataIntegrityViolationException.class)
                    .onWhen(exchange -> DataErrors.permanent(caught(exchange)))
                    .handled(true)
                    .to("direct:" + DEAD_LETTER_ROUTE)
                .end()
                // transient, but failing for longer than the max age: ops decide (dead-letter list, replay)
                .onException(Exception.class)
                    .onWhen(exchange -> backoff.tooOld(exchange.getMessage()
                            .getHeader(IngestQueues.ENQUEUED_AT, String.class)))
                    .handled(true)
                    .to("direct:" + DEAD_LETTER_ROUTE)
                .end()
                // transient: back to the head of the queue, and this hub's consumers pause
                .onException(Exception.class)
                    .handled(false)
                    .process(exchange -> {
                        applier.redelivering(exchange);
                        backoff.failed(hub, caught(exchange));
                    })
                .end()
                // in the MLLP message's trace (traceparent property): the hub calls are its spans
                .process(exchange -> trace.process(exchange, applier::apply))
                .process(exchange -> backoff.succeeded(hub))
                // an A40 merge moved documents between two patients: every instance forgets both patients' cached
                // facts (FactsInvalidationRoutes) instead of answering from them until their TTL
                .filter(exchangeProperty(Hl7Applier.PATIENTS_CHANGED).isNotNull())
                    .split(exchangeProperty(Hl7Applier.PATIENTS_CHANGED))
                        .doTry()
                            .to(FactsInvalidationRoutes.FORGET)
                        .doCatch(Exception.class)
                            // forgotten here at least; the others' entries end with their TTL. The merge is applied
                            // and must not be rolled back for a lost announcement
                            .log(LoggingLevel.WARN, "an A40 merge's patients were not announced to the other"
                                    + " instances: ${exception.class.simpleName}")
                        .end()
                    .end()
                .end();
    }

    private static Exception caught(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}
