package be.recordbroker.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import org.springframework.jms.core.JmsTemplate;

/**
 * The ingest dead-letter queue as ops see it: metadata of each message (never its body), and replay of one message or
 * all of them back onto their hub's queue. A replay moves the message in one JMS transaction, so it is never lost or
 * doubled.
 */
public class DeadLetters {

    private static final int BROWSE_LIMIT = 1000;

    private final JmsTemplate jms;

    public DeadLetters(JmsTemplate jms) {
        this.jms = jms;
        this.jms.setSessionTransacted(true);
    }

    /** Up to 1000 dead letters, oldest first: ids, facility, control id, type, hub, reason, times. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> found = jms.browse(IngestQueues.DEAD_LETTER, (Session session, QueueBrowser browser) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object o : Collections.list(browser.getEnumeration())) {
                if (rows.size() >= BROWSE_LIMIT) {
                    break;
                }
                rows.add(metadata((Message) o));
            }
            return rows;
        });
        return found == null ? List.of() : found;
    }

    public int depth() {
        Integer n = jms.browse(IngestQueues.DEAD_LETTER, (session, browser) -> Collections.list(browser.getEnumeration()).size());
        return n == null ? 0 : n;
    }

    /** Moves one dead letter back to the ingest queue; false when no message has that id. */
    public boolean replay(String messageId) {
        if (!messageId.matches("[A-Za-z0-9:_.-]{1,200}")) {
            return false;
        }
        Integer moved = jms.execute(session -> move(session, "JMSMessageID = '" + messageId + "'", 1), true);
        return moved != null && moved == 1;
    }

    /** Moves every dead letter back to the ingest queue; returns how many. */
    public int replayAll() {
        Integer moved = jms.execute(session -> move(session, null, Integer.MAX_VALUE), true);
        return moved == null ? 0 : moved;
    }

    private static int move(Session session, String selector, int limit) throws JMSException {
        Queue dead = session.createQueue(IngestQueues.DEAD_LETTER);
        int moved = 0;
        try (MessageConsumer consumer = selector == null ? session.createConsumer(dead)
                : session.createConsumer(dead, selector);
             MessageProducer producer = session.createProducer(null)) {
            Message message;
            while (moved < limit && (message = consumer.receive(500)) != null) {
                Message copy = copyForReplay(session, message);
                // back to its hub's queue (messages dead-lettered by earlier versions carry the hub too)
                String hub = message.getStringProperty(IngestQueues.HUB);
                producer.send(session.createQueue(IngestQueues.declareQueue(hub)), copy);
                moved++;
            }
            session.commit();
        }
        return moved;
    }

    private static Message copyForReplay(Session session, Message original) throws JMSException {
        jakarta.jms.TextMessage copy = session.createTextMessage(((jakarta.jms.TextMessage) original).getText());
        for (Object name : Collections.list(original.getPropertyNames())) {
            String key = (String) name;
            if (!key.startsWith("JMSX") && !key.startsWith("_AMQ") && !key.equals(IngestQueues.DEAD_REASON)
                    && !key.equals(IngestQueues.DEAD_AT)) {
                copy.setObjectProperty(key, original.getObjectProperty(key));
            }
        }
        String group = original.getStringProperty("JMSXGroupID");
        if (group != null) {
            copy.setStringProperty("JMSXGroupID", group);
        }
        return copy;
    }

    private static Map<String, Object> metadata(Message m) throws JMSException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", m.getJMSMessageID());
        row.put("facility", m.getStringProperty(IngestQueues.FACILITY));
        row.put("controlId", m.getStringProperty(IngestQueues.CONTROL_ID));
        row.put("messageType", m.getStringProperty(IngestQueues.MESSAGE_TYPE));
        row.put("hub", m.getStringProperty(IngestQueues.HUB));
        row.put("reason", m.getStringProperty(IngestQueues.DEAD_REASON));
        row.put("deadAt", m.getStringProperty(IngestQueues.DEAD_AT));
        row.put("enqueuedAt", m.getStringProperty(IngestQueues.ENQUEUED_AT));
        return row;
    }
}
