package be.recordbroker.ingest;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.apache.activemq.artemis.utils.UUIDGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.SessionProxy;

/**
 * The MLLP listener's way onto its hub's declaration queue ({@link IngestQueues#declareQueue}): a durable send that
 * returns only once the broker has the message in its journal (Artemis blocks a durable send until then: the
 * commit-ack the AA waits for; checked at start). One pooled session and producer per concurrent sender, and each
 * hub's address resolved once: camel-jms' producer mapped every
 * exchange header and resolved the destination with a broker round trip on each message. The message is built with
 * Artemis' core API on the JMS session's own core session (the JMS setters checked and converted each property
 * name per message); the declaring consumer receives it as the JMS TextMessage it always was.
 *
 * <p>No duplicate-detection id: a message sent again (a resend whose first copy reached the queue before its AA was
 * lost) is queued again behind its first copy (same patient group), and the declaring consumer skips it by its
 * applied ledger. Artemis' persistent id cache wrote two more journal records per message (the id and, once the cache
 * was full, the removal of the oldest) for what the applied ledger decides anyway.
 */
public class IngestQueueSender implements AutoCloseable {

    /** Artemis' duplicate-detection property: messages queued by earlier versions still carry it. */
    static final String DUPLICATE_ID = Message.HDR_DUPLICATE_DETECTION_ID.toString();
    private static final SimpleString FACILITY = SimpleString.of(IngestQueues.FACILITY);
    private static final SimpleString CONTROL_ID = SimpleString.of(IngestQueues.CONTROL_ID);
    private static final SimpleString MESSAGE_TYPE = SimpleString.of(IngestQueues.MESSAGE_TYPE);
    private static final SimpleString HUB = SimpleString.of(IngestQueues.HUB);
    private static final SimpleString ENQUEUED_AT = SimpleString.of(IngestQueues.ENQUEUED_AT);
    private static final SimpleString CONTENT = SimpleString.of(IngestQueues.CONTENT);
    private static final Logger LOG = LoggerFactory.getLogger(IngestQueueSender.class);

    /** One message for the queue: the stripped HL7 text and the identifiers the consumer needs, no patient data. */
    public record Outgoing(String body, String group, String facility, String controlId, String messageType,
                           String hub, long enqueuedAt, String contentJson) {
    }

    private record Producer(Connection connection, Session session, ClientSession core, ClientProducer producer) {
    }

    private final ConnectionFactory factory;
    /** Address of each hub's queue, resolved once. */
    private final Map<String, SimpleString> addresses = new ConcurrentHashMap<>();
    private final Deque<Producer> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public IngestQueueSender(ConnectionFactory factory) {
        this.factory = factory;
    }

    /** Sends durably; throws when the broker did not confirm (the caller answers AE, the hospital sends again). */
    public void send(Outgoing m) throws JMSException, ActiveMQException {
        Producer p = idle.pollFirst();
        if (p == null) {
            p = open();
        }
        boolean sent = false;
        try {
            ClientMessage message = p.core().createMessage(ClientMessage.TEXT_TYPE, true);
            TextMessageUtil.writeBodyText(message.getBodyBuffer(), SimpleString.of(m.body()));
            message.setRoutingType(RoutingType.ANYCAST);
            message.setUserID(UUIDGenerator.getInstance().generateUUID()); // the JMSMessageID consumers see
            message.setTimestamp(System.currentTimeMillis());
            message.setGroupID(m.group()); // JMSXGroupID: one patient's messages in order
            message.putStringProperty(FACILITY, SimpleString.of(m.facility()));
            message.putStringProperty(CONTROL_ID, SimpleString.of(m.controlId()));
            message.putStringProperty(MESSAGE_TYPE, SimpleString.of(m.messageType()));
            message.putStringProperty(HUB, SimpleString.of(m.hub()));
            message.putStringProperty(ENQUEUED_AT, SimpleString.of(Long.toString(m.enqueuedAt())));
            message.putStringProperty(CONTENT, SimpleString.of(m.contentJson()));
            carryTrace(message);
            // the hub's own queue: a hub that is down holds back only its own messages
            p.producer().send(addresses.computeIfAbsent(m.hub(),
                    hub -> SimpleString.of(IngestQueues.declareQueue(hub))), message);
            sent = true;
        } finally {
            if (sent && !closed) {
                idle.offerFirst(p); // most recently used first: a few warm sessions serve a light load
            } else {
                discard(p); // a failed session is not reused: the next send opens a fresh one
            }
        }
    }

    /**
     * The MLLP message's trace goes with it (issue 16): its W3C {@code traceparent} as a message property, which the
     * declaring consumer's route span (camel-observation) continues. Nothing when no span is current.
     */
    private static void carryTrace(ClientMessage message) {
        if (io.opentelemetry.api.trace.Span.current().getSpanContext().isValid()) {
            W3CTraceContextPropagator.getInstance().inject(Context.current(), message,
                    (carrier, key, value) -> carrier.putStringProperty(key, value));
        }
    }

    private Producer open() throws JMSException, ActiveMQException {
        // with Spring's caching factory the connection is shared and re-established after a failure
        Connection connection = factory.createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session target = session instanceof SessionProxy proxy ? proxy.getTargetSession() : session;
            if (!(target instanceof ActiveMQSession artemis)) {
                throw new IllegalStateException("the ingest queue needs an Artemis connection factory, not "
                        + target.getClass().getName());
            }
            ClientSession core = artemis.getCoreSession();
            if (!core.getSessionFactory().getServerLocator().isBlockOnDurableSend()) {
                // without it a send returns before the journal has the message, and an AA would promise too much
                throw new IllegalStateException("the Artemis connection factory must block on durable sends");
            }
            // anonymous: one producer sends to every hub's queue (an address the broker lacks and may not create fails the send: AE)
            return new Producer(connection, session, core, core.createProducer());
        } catch (JMSException | ActiveMQException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void discard(Producer p) {
        try {
            p.producer().close();
            p.session().close();
        } catch (JMSException | ActiveMQException | RuntimeException e) {
            LOG.debug("closing an ingest queue session: {}", e.toString());
        }
        closeQuietly(p.connection());
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("closing an ingest queue connection: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Producer p = idle.pollFirst(); p != null; p = idle.pollFirst()) {
            discard(p);
        }
    }
}
