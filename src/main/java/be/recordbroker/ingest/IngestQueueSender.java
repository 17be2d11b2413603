package be.recordbroker.ingest;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLLP listener's way onto the ingest queue: a persistent JMS send that returns only once the broker has the
 * message in its journal (Artemis blocks a durable send until then: the commit-ack the AA waits for). One pooled
 * session and producer per concurrent sender, and the queue resolved once: camel-jms' producer mapped every
 * exchange header, and the template resolved the destination with a broker round trip, on each message.
 *
 * <p>Each message carries Artemis' duplicate-detection id (facility|control id): a message sent again (a resend
 * whose first copy reached the queue before its AA was lost) is dropped by the broker itself, which remembers the
 * ids in its journal across restarts. The declaring consumer's applied ledger stays the final guard.
 */
public class IngestQueueSender implements AutoCloseable {

    /** Artemis' duplicate-detection property ({@code Message.HDR_DUPLICATE_DETECTION_ID}). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    private static final String GROUP_ID = "JMSXGroupID";
    private static final Logger LOG = LoggerFactory.getLogger(IngestQueueSender.class);

    /** One message for the queue: the stripped HL7 text and the identifiers the consumer needs, no patient data. */
    public record Outgoing(String body, String group, String facility, String controlId, String messageType,
                           String hub, long enqueuedAt, String contentJson) {
    }

    private record Producer(Connection connection, Session session, MessageProducer producer) {
    }

    private final ConnectionFactory factory;
    private final String queue;
    private final Deque<Producer> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public IngestQueueSender(ConnectionFactory factory, String queue) {
        this.factory = factory;
        this.queue = queue;
    }

    /** Sends durably; throws when the broker did not confirm (the caller answers AE, the hospital sends again). */
    public void send(Outgoing m) throws JMSException {
        Producer p = idle.pollFirst();
        if (p == null) {
            p = open();
        }
        boolean sent = false;
        try {
            TextMessage message = p.session().createTextMessage(m.body());
            message.setStringProperty(GROUP_ID, m.group());
            message.setStringProperty(DUPLICATE_ID, m.facility() + '|' + m.controlId());
            message.setStringProperty(IngestQueues.FACILITY, m.facility());
            message.setStringProperty(IngestQueues.CONTROL_ID, m.controlId());
            message.setStringProperty(IngestQueues.MESSAGE_TYPE, m.messageType());
            message.setStringProperty(IngestQueues.HUB, m.hub());
            message.setStringProperty(IngestQueues.ENQUEUED_AT, Long.toString(m.enqueuedAt()));
            message.setStringProperty(IngestQueues.CONTENT, m.contentJson());
            p.producer().send(message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
            sent = true;
        } finally {
            if (sent && !closed) {
                idle.offerFirst(p); // most recently used first: a few warm sessions serve a light load
            } else {
                discard(p); // a failed session is not reused: the next send opens a fresh one
            }
        }
    }

    private Producer open() throws JMSException {
        // with Spring's caching factory the connection is shared and re-established after a failure
        Connection connection = factory.createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            return new Producer(connection, session, producer);
        } catch (JMSException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void discard(Producer p) {
        try {
            p.producer().close();
            p.session().close();
        } catch (JMSException | RuntimeException e) {
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
