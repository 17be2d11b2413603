package be.recordbroker.ingest;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import be.recordbroker.hl7.AckBuilder;
import be.recordbroker.hl7.ContentStripper;
import be.recordbroker.hl7.EmbeddedContent;
import be.recordbroker.hl7.Hl7Charsets;
import be.recordbroker.hl7.Hl7Error;
import be.recordbroker.hl7.InboundMessage;
import be.recordbroker.hl7.ReferencePointer;
import be.recordbroker.hl7.IngestDecision;
import be.recordbroker.hl7.IngestRules;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;

/**
 * The MLLP face's steps, called by the listener route: {@link #receive} checks a frame (envelope, then the sender:
 * {@link MllpTrust}, then what it asks: {@link DocumentOwnership}) and prepares it for the durable enqueue (or answers
 * it at once), {@link #stored} acknowledges once the queue has it, {@link #storeFailed} answers AE
 * when it could not be stored so the hospital sends it again. Logs carry the facility and control id only.
 */
public class Hl7Listener {

    /** The Camel route group of every MLLP listener route (the shared one and each site's): how ops finds them. */
    public static final String ROUTE_GROUP = "hl7-listeners";

    /** Exchange property: true when the frame is to be enqueued. */
    public static final String ENQUEUE = "rb.enqueue";
    /** Exchange property: what to enqueue ({@link IngestQueueSender.Outgoing}). */
    public static final String OUTGOING = "rb.outgoing";
    /** Exchange property set by the listener route: '*' or the one facility (MSH-4) its port serves. */
    public static final String SERVED_FACILITY = "rb.servedFacility";
    private static final String INBOUND = "rb.inbound";
    private static final String DECISION = "rb.decision";
    private static final String CHARSET = "rb.charset";
    private static final String STARTED = "rb.started";
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Listener.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String NO_CONTENT_JSON = "{\"contents\":[],\"pointers\":[]}";

    private final IngestRules rules;
    private final Network network;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Charset defaultCharset;
    private final IngestProperties properties;
    private final String ackIdPrefix;
    private final AtomicLong ackSequence = new AtomicLong();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /**
     * Frame arrival to answer; with rb.hl7.messages (every frame, by hospital, type and answer) the per-hospital view
     * that Camel's route metrics (per listener route) do not give.
     */
    private final Timer answerTime;

    /** Who may send for which hospital (client certificate vs MSH-4). */
    private final MllpTrust trust;
    /** Which documents and patients a hospital may replace, cancel or merge. */
    private final DocumentOwnership ownership;
    /** The patient's JMS group: a keyed hash, so no SSIN shows, nor can be found by trying them, in the broker. */
    private final PatientGroups groups;

    public Hl7Listener(IngestRules rules, Network network, MeterRegistry meters, Clock clock,
                       IngestProperties properties, MllpTrust trust, DocumentOwnership ownership,
                       PatientGroups groups) {
        this.groups = java.util.Objects.requireNonNull(groups, "groups");
        this.trust = java.util.Objects.requireNonNull(trust, "trust");
        this.ownership = java.util.Objects.requireNonNull(ownership, "ownership");
        this.rules = rules;
        this.network = network;
        this.meters = meters;
        this.clock = clock;
        this.properties = properties;
        this.defaultCharset = Charset.forName(properties.getDefaultCharset());
        this.ackIdPrefix = "RB" + Long.toString(clock.millis() / 1000, 36).toUpperCase();
        this.answerTime = Timer.builder("rb.hl7.answer")
                .description("time from an MLLP frame's arrival to its answer (AA/AE/AR), durable enqueue included")
                .register(meters);
    }

    public void receive(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
        byte[] frame = exchange.getMessage().getBody(byte[].class);
        if (frame == null) {
            frame = new byte[0];
        }
        Charset charset = Hl7Charsets.detect(frame, defaultCharset);
        exchange.setProperty(CHARSET, charset);
        InboundMessage m = InboundMessage.parse(Hl7Charsets.decodeAs(frame, charset));
        if (!m.isHl7()) {
            answer(exchange, AckBuilder.ackForGarbage(nextAckId(), now()), charset);
            count(exchange, "unknown", "none", "AR");
            LOG.info("rejected a frame that is not HL7 ({} bytes)", frame.length);
            return;
        }
        exchange.setProperty(INBOUND, m);
        String served = exchange.getProperty(SERVED_FACILITY, "*", String.class);
        IngestDecision decision = rules.check(m, facility -> network.hospital(facility).isPresent()
                && ("*".equals(served) || served.equals(facility)));
        if (!decision.accepted()) {
            Optional<String> ack = AckBuilder.ackFor(m, decision, nextAckId(), now());
            ack.ifPresent(a -> answer(exchange, a, charset));
            if (ack.isEmpty()) {
                // an inbound ACK (never acknowledged) or an enhanced-mode message that asked for no accept ACK
                exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, new byte[0]);
            }
            String code = ack.isPresent() ? decision.ackCode(AckBuilder.mode(m) != AckBuilder.Mode.ORIGINAL) : "none";
            count(exchange, tagFacility(m), tagType(m), code);
            LOG.info("answered {} to {} {} from {}: {}", code, m.messageType(), m.controlId(), m.sendingFacility(),
                    decision.error() == null ? decision.reason() : decision.error().code());
            return;
        }
        // the sender: MSH-4 must be a hospital of the connection's client certificate (TLS; nothing to check in plaintext)
        Optional<MllpTrust.Refusal> untrusted = trust.check(m,
                exchange.getMessage().getHeader(MllpConstants.MLLP_SSL_CLIENT_CERT_SUBJECT_NAME, String.class));
        if (untrusted.isPresent()) {
            refuse(exchange, m, charset, untrusted.get().decision(), untrusted.get().hospital(), untrusted.get().reason());
            return;
        }
        // what it asks: only its own documents and patients may be replaced, cancelled or merged (one ledger query)
        Optional<DocumentOwnership.Refusal> foreign = ownership.check(m, network.hospital(m.sendingFacility()).orElseThrow());
        if (foreign.isPresent()) {
            refuse(exchange, m, charset, foreign.get().decision(), m.sendingFacility(), foreign.get().reason());
            return;
        }
        ContentStripper.Stripped stripped = ContentStripper.strip(m);
        Optional<Hl7Error> problem = stripped.problem();
        if (problem.isPresent()) {
            IngestDecision error = IngestDecision.error(problem.get().code(), problem.get().location(),
                    problem.get().text());
            answer(exchange, AckBuilder.ackFor(m, error, nextAckId(), now()).orElse(""), charset);
            count(exchange, tagFacility(m), tagType(m), "AE");
            return;
        }
        Hospital hospital = network.hospital(m.sendingFacility()).orElseThrow();
        exchange.setProperty(DECISION, decision);
        exchange.setProperty(OUTGOING, new IngestQueueSender.Outgoing(stripped.text(), group(decision),
                m.sendingFacility(), m.controlId(), m.messageType(), hospital.hubCode(), clock.millis(),
                contentJson(stripped)));
        exchange.setProperty(ENQUEUE, true);
    }

    /** AR (CR) for a message this sender may not send; counted in rb_hl7_refused_total and rb_hl7_messages_total. */
    private void refuse(Exchange exchange, InboundMessage m, Charset charset, IngestDecision decision, String hospital,
                        String reason) {
        answer(exchange, AckBuilder.ackFor(m, decision, nextAckId(), now()).orElse(""), charset);
        String code = decision.ackCode(AckBuilder.mode(m) != AckBuilder.Mode.ORIGINAL);
        count(exchange, tagFacility(m), tagType(m), code);
        trust.refused(hospital, reason);
        LOG.warn("refused {} {} from {} ({}): {}", m.messageType(), m.controlId(), m.sendingFacility(), reason,
                decision.error().code());
    }

    /**
     * The queue has the message durably: acknowledge (AA, or CA in enhanced mode). A duplicate (same MSH-4 and MSH-10)
     * is answered the same way and queued behind its first copy; the declaring consumer skips it as already applied
     * (see {@link IngestQueueSender}). On the way to the ACK the database is read once, for T01/T02/T10/T11/ORU/A40
     * only ({@link DocumentOwnership}: who declared the document or patient), and never written.
     */
    public void stored(Exchange exchange) {
        InboundMessage m = exchange.getProperty(INBOUND, InboundMessage.class);
        IngestDecision decision = exchange.getProperty(DECISION, IngestDecision.class);
        Optional<String> ack = AckBuilder.ackFor(m, decision, nextAckId(), now());
        answer(exchange, ack.orElse(""), exchange.getProperty(CHARSET, Charset.class));
        count(exchange, tagFacility(m), tagType(m), decision.ackCode(AckBuilder.mode(m) != AckBuilder.Mode.ORIGINAL));
    }

    /** Anything failed before the message was stored: AE (CE), so the sender keeps it and sends it again. */
    public void storeFailed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        InboundMessage m = exchange.getProperty(INBOUND, InboundMessage.class);
        Charset charset = exchange.getProperty(CHARSET, Charset.class);
        IngestDecision unavailable = IngestDecision.unavailable("the message could not be stored; send it again");
        if (m == null) {
            answer(exchange, AckBuilder.ackForGarbage(unavailable.error(), nextAckId(), now()),
                    charset == null ? defaultCharset : charset);
            count(exchange, "unknown", "none", "AE");
        } else {
            answer(exchange, AckBuilder.ackFor(m, unavailable, nextAckId(), now()).orElse(""),
                    charset == null ? defaultCharset : charset);
            count(exchange, tagFacility(m), tagType(m), "AE");
        }
        LOG.warn("could not store {} {} from {}: {}", m == null ? "?" : m.messageType(), m == null ? "?" : m.controlId(),
                m == null ? "?" : m.sendingFacility(), cause == null ? "?" : cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage())));
    }

    private void answer(Exchange exchange, String ack, Charset charset) {
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack.getBytes(charset));
    }

    /** The JMS group of a message: one patient's messages apply in order ({@link PatientGroups}). */
    private String group(IngestDecision decision) {
        return groups.of(decision.ssin());
    }

    /** {sha256, size, mimeType, obx} of each content removed, and the reference pointers; streamed, not mapped. */
    private static String contentJson(ContentStripper.Stripped stripped) {
        if (stripped.contents().isEmpty() && stripped.pointers().isEmpty()) {
            return NO_CONTENT_JSON;
        }
        StringWriter out = new StringWriter(64 + 160 * stripped.contents().size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("contents");
            for (EmbeddedContent c : stripped.contents()) {
                g.writeStartObject();
                g.writeStringField("sha256", c.sha256());
                g.writeNumberField("size", c.size());
                g.writeStringField("mimeType", c.mimeType());
                g.writeStringField("obx", c.obxSetId() == null ? "" : c.obxSetId());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("pointers");
            for (ReferencePointer p : stripped.pointers()) {
                g.writeStartObject();
                g.writeStringField("pointer", p.pointer() == null ? "" : p.pointer());
                g.writeStringField("mimeType", p.mimeType() == null ? "" : p.mimeType());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private String nextAckId() {
        return ackIdPrefix + Long.toString(ackSequence.incrementAndGet(), 36).toUpperCase();
    }

    private String now() {
        return AckBuilder.timestamp(ZonedDateTime.now(clock));
    }

    private String tagFacility(InboundMessage m) {
        return m.sendingFacility() != null && network.hospital(m.sendingFacility()).isPresent()
                ? m.sendingFacility() : "unknown";
    }

    private String tagType(InboundMessage m) {
        String type = m.messageType();
        return type != null && properties.getMessageTypes().contains(type) ? type : "other";
    }

    private void count(Exchange exchange, String hospital, String type, String ack) {
        // a registry lookup per tag combination, not per message (hospital and type are bounded: see tagFacility)
        counters.computeIfAbsent(hospital + '\u0000' + type + '\u0000' + ack, key -> Counter.builder("rb.hl7.messages")
                .description("HL7 messages received, by hospital, type and answer")
                .tag("hospital", hospital).tag("type", type).tag("ack", ack)
                .register(meters)).increment();
        Long started = exchange.getProperty(STARTED, Long.class);
        if (started != null) {
            answerTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
