package be.recordbroker.routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import be.recordbroker.ingest.Hl7Listener;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.ingest.IngestQueues;

/**
 * HL7 v2 over MLLP in: one listener for every hospital (MSH-4 names it). Each frame is checked, its embedded content
 * hashed and dropped, and it is put durably on the ingest queue (grouped by patient) before the AA goes back. A
 * failure to enqueue answers AE so the hospital sends again; nothing is acknowledged that is not stored.
 */
@Component
public class IngestRoutes extends RouteBuilder {

    static final String LISTENER_ROUTE = "hl7-mllp-listener";

    private final Hl7Listener listener;
    private final IngestProperties properties;

    public IngestRoutes(Hl7Listener listener, IngestProperties properties) {
        this.listener = listener;
        this.properties = properties;
    }

    @Override
    public void configure() {
        // camel-mllp's defaults are unsafe for a hospital-facing port: a 1 GiB buffer and 5 connections.
        String mllp = "mllp://{{record-broker.mllp.bind-address:0.0.0.0}}:{{record-broker.mllp.port}}"
                + "?autoAck=false&hl7Headers=false&stringPayload=false&validatePayload=false&requireEndOfData=false"
                + "&maxBufferSize=" + properties.getMaxFrameSize().toBytes()
                + "&receiveTimeout=" + properties.getReceiveTimeout().toMillis()
                + "&readTimeout=" + Math.min(5000, properties.getReceiveTimeout().toMillis())
                + "&idleTimeout=" + properties.getIdleTimeout().toMillis()
                + "&maxConcurrentConsumers=" + properties.getMaxConnections()
                + "&lenientBind=false&bindTimeout=30000"
                + "{{record-broker.mllp.extra-options:}}";

        from(mllp).routeId(LISTENER_ROUTE)
                // autoAck=false: a route that fails before the ACK is set would answer nothing, so always NAK
                .onException(Exception.class).handled(true)
                    .process(listener::storeFailed)
                .end()
                .process(listener::receive)
                .filter(exchangeProperty(Hl7Listener.ENQUEUE).isEqualTo(true))
                    .to("jms:queue:" + IngestQueues.INGEST + "?deliveryPersistent=true&explicitQosEnabled=true"
                            + "&includeSentJMSMessageID=false&disableReplyTo=true")
                    .process(listener::stored)
                .end();
    }
}
