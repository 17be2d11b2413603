package be.recordbroker.routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import be.recordbroker.ingest.Hl7Listener;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.ingest.IngestQueueSender;

/**
 * HL7 v2 over MLLP in: one listener for every hospital (MSH-4 names it). Each frame is checked, its embedded content
 * hashed and dropped, and it is put durably on the ingest queue (grouped by patient) before the AA goes back. A
 * failure to enqueue answers AE so the hospital sends again; nothing is acknowledged that is not stored.
 */
@Component
public class IngestRoutes extends RouteBuilder {

    static final String LISTENER_ROUTE = "hl7-mllp-listener";

    private final Hl7Listener listener;
    private final IngestQueueSender queue;
    private final IngestProperties properties;

    public IngestRoutes(Hl7Listener listener, IngestQueueSender queue, IngestProperties properties) {
        this.listener = listener;
        this.queue = queue;
        this.properties = properties;
    }

    /** The route template per-site YAML instantiates (routes/*.camel.yaml) to give a hospital its own port. */
    public static final String LISTENER_TEMPLATE = "hl7-mllp-listener";

    @Override
    public void configure() {
        // camel-mllp's defaults are unsafe for a hospital-facing port: a 1 GiB buffer and 5 connections.
        String mllp = "mllp://{{bindAddress}}:{{port}}"
                + "?autoAck=false&hl7Headers=false&stringPayload=false&validatePayload=false&requireEndOfData=false"
                + "&maxBufferSize=" + properties.getMaxFrameSize().toBytes()
                + "&receiveTimeout=" + properties.getReceiveTimeout().toMillis()
                + "&readTimeout=" + Math.min(5000, properties.getReceiveTimeout().toMillis())
                + "&idleTimeout=" + properties.getIdleTimeout().toMillis()
                + "&maxConcurrentConsumers=" + properties.getMaxConnections()
                // SO_REUSEADDR (camel-mllp turns it off, the JDK would have it on): after a crash the port's closed
                // connections sit in TIME_WAIT for 60 s, and without it a restarted broker cannot bind and stops
                + "&reuseAddress=true&lenientBind=false&bindTimeout=30000"
                + "{{extraOptions}}";

        routeTemplate(LISTENER_TEMPLATE)
                .templateParameter("port")
                .templateParameter("bindAddress", "0.0.0.0")
                // '*': any hospital of the network file; a facility id: only that hospital's feed on this port
                .templateParameter("facility", "*")
                // TLS with client certificates comes from the mllp component (GuardedMllpComponent) unless
                // record-broker.mllp.plaintext; "&sslContextParameters=#otherTls" gives one listener its own
                .templateParameter("extraOptions", "")
                .from(mllp)
                .group(Hl7Listener.ROUTE_GROUP)
                // autoAck=false: a route that fails before the ACK is set would answer nothing, so always NAK
                .onException(Exception.class).handled(true)
                    .process(listener::storeFailed)
                .end()
                .setProperty(Hl7Listener.SERVED_FACILITY, constant("{{facility}}"))
                .process(listener::receive)
                .filter(exchangeProperty(Hl7Listener.ENQUEUE).isEqualTo(true))
                    // durable send, confirmed by the broker's journal (a pooled producer: see IngestQueueSender)
                    .process(exchange -> {
                        // the listener route's span (camel-observation) current while sending: its traceparent goes
                        // on the message (IngestQueueSender), and the declaration continues this trace (issue 16)
                        org.apache.camel.tracing.SpanAdapter span =
                                org.apache.camel.tracing.ActiveSpanManager.getSpan(exchange);
                        try (AutoCloseable scope = span == null ? null : span.makeCurrent()) {
                            queue.send(exchange.getProperty(Hl7Listener.OUTGOING, IngestQueueSender.Outgoing.class));
                        }
                    })
                    .process(listener::stored)
                .end();

        // the shared listener every hospital can use (MSH-4 names the hospital)
        templatedRoute(LISTENER_TEMPLATE).routeId(LISTENER_ROUTE)
                .parameter("port", "{{record-broker.mllp.port}}")
                .parameter("bindAddress", "{{record-broker.mllp.bind-address:0.0.0.0}}")
                .parameter("extraOptions", "{{record-broker.mllp.extra-options:}}");
    }
}
