package be.recordbroker.sandbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * A sandbox hospital's MLLP sender: sends its sample feed to the broker's listener with HAPI's own client, one
 * message at a time, each waiting for its ACK, and reports the ACK code of each.
 */
final class SandboxFeedSender {

    /** The outcome of sending one feed. */
    record Report(String hospital, String target, int sent, Map<String, Integer> acks, List<Map<String, String>> messages) {
    }

    /** The broker's MLLP listener could not be reached at all. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String host;
    private final int port;
    private final Clock clock;

    SandboxFeedSender(String host, int port, Clock clock) {
        this.host = host;
        this.port = port;
        this.clock = clock;
    }

    Report send(SandboxNetwork network, String facilityId) {
        List<SandboxFeeds.FeedMessage> feed = SandboxFeeds.feed(network, facilityId, OffsetDateTime.now(clock));
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Map<String, String>> results = new ArrayList<>();
        try (HapiContext context = new DefaultHapiContext()) {
            context.setValidationContext(ValidationContextFactory.noValidation());
            // HAPI's default id generator writes an id_file in the working directory; keep it in memory.
            context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
            PipeParser parser = context.getPipeParser();
            Connection connection;
            try {
                connection = context.newClient(host, port, false);
            } catch (HL7Exception e) {
                throw new Unreachable("no MLLP listener answers at " + host + ":" + port, e);
            }
            try {
                connection.getInitiator().setTimeout(30, TimeUnit.SECONDS);
                for (SandboxFeeds.FeedMessage m : feed) {
                    Map<String, String> result = new LinkedHashMap<>();
                    result.put("controlId", m.controlId());
                    result.put("type", m.type());
                    try {
                        Message ack = connection.getInitiator().sendAndReceive(parser.parse(m.text()));
                        Terser terser = new Terser(ack);
                        String code = terser.get("/MSA-1");
                        result.put("ack", code);
                        String text = terser.get("/MSA-3");
                        if (text != null) {
                            result.put("text", text);
                        }
                        counts.merge(code, 1, Integer::sum);
                    } catch (HL7Exception | LLPException | java.io.IOException e) {
                        result.put("ack", "none");
                        result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                        counts.merge("none", 1, Integer::sum);
                    }
                    results.add(result);
                }
            } finally {
                connection.close();
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot close the HAPI context", e);
        }
        return new Report(facilityId, host + ":" + port, feed.size(), counts, results);
    }
}
