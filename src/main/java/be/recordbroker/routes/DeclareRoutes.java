package be.recordbroker.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import be.recordbroker.ingest.Hl7Applier;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.ingest.IngestQueues;
import be.recordbroker.kmehr.HubCallException;

/**
 * The ingest queue out: each message is applied at the hospital's regional hub (DeclareTransaction, RevokeTransaction,
 * PutPatient). A hub that is down or slow is retried in place with exponential backoff, so one patient's messages
 * (one JMS message group) stay in order; a hub that rejects the message sends it to the dead-letter queue at once.
 */
@Component
public class DeclareRoutes extends RouteBuilder {

    static final String DECLARE_ROUTE = "hl7-declare";
    static final String DEAD_LETTER_ROUTE = "hl7-dead-letter";

    private final Hl7Applier applier;
    private final IngestProperties properties;

    private final be.recordbroker.ingest.QueuedTrace trace;

    public DeclareRoutes(Hl7Applier applier, IngestProperties properties,
                         org.springframework.beans.factory.ObjectProvider<io.micrometer.observation.ObservationRegistry>
                                 observations) {
        this.applier = applier;
        this.properties = properties;
        this.trace = new be.recordbroker.ingest.QueuedTrace(
                observations.getIfAvailable(() -> io.micrometer.observation.ObservationRegistry.NOOP));
    }

    @Override
    public void configure() {
        IngestProperties.Redelivery redelivery = properties.getRedelivery();

        from("jms:queue:" + IngestQueues.INGEST + "?transacted=true&lazyCreateTransactionManager=false"
                + "&concurrentConsumers=" + properties.getConsumers() + "&cacheLevelName=CACHE_CONSUMER")
                .routeId(DECLARE_ROUTE)
                .errorHandler(deadLetterChannel("direct:" + DEAD_LETTER_ROUTE)
                        .useOriginalMessage()
                        .maximumRedeliveries(redelivery.getMaxAttempts() - 1)
                        .redeliveryDelay(redelivery.getInitialDelay().toMillis())
                        .useExponentialBackOff()
                        .backOffMultiplier(redelivery.getMultiplier())
                        .maximumRedeliveryDelay(redelivery.getMaxDelay().toMillis())
                        .retryAttemptedLogLevel(LoggingLevel.WARN)
                        .logExhaustedMessageHistory(false)
                        .onRedelivery(applier::redelivering))
                // a message HAPI cannot read will not read better later
                .onException(ca.uhn.hl7v2.HL7Exception.class)
                    .maximumRedeliveries(0)
                    .handled(true)
                    .to("direct:" + DEAD_LETTER_ROUTE)
                .end()
                .onException(HubCallException.class)
                    .onWhen(exchange -> exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT,
                            HubCallException.class).permanent())
                    .maximumRedeliveries(0)
                    .handled(true)
                    .to("direct:" + DEAD_LETTER_ROUTE)
                .end()
                // in the MLLP message's trace (traceparent property): the hub calls are its spans
                .process(exchange -> trace.process(exchange, applier::apply));

        from("direct:" + DEAD_LETTER_ROUTE).routeId(DEAD_LETTER_ROUTE)
                .process(applier::deadLettered)
                .to("jms:queue:" + IngestQueues.DEAD_LETTER + "?deliveryPersistent=true&explicitQosEnabled=true"
                        + "&disableReplyTo=true");
    }
}
