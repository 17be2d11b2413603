package be.recordbroker.hl7;

import java.nio.charset.Charset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The per-frame sequence an MLLP listener runs with this package, for the tests: decode, parse, check, strip
 * (accepted messages only), acknowledge. The durable enqueue of {@code stripped.text()} would sit between strip and
 * acknowledge.
 */
final class Pipeline {

    record Result(InboundMessage message, IngestDecision decision, ContentStripper.Stripped stripped,
                  Optional<String> ack) {
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final IngestRules rules;
    private final Predicate<String> knownFacility;
    private final Charset fallback;

    Pipeline(IngestRules rules, Predicate<String> knownFacility, Charset fallback) {
        this.rules = rules;
        this.knownFacility = knownFacility;
        this.fallback = fallback;
    }

    Result run(byte[] frame) {
        InboundMessage m = InboundMessage.parse(Hl7Charsets.decode(frame, fallback));
        IngestDecision d = rules.check(m, knownFacility);
        ContentStripper.Stripped stripped = null;
        if (d.accepted()) {
            stripped = ContentStripper.strip(m);
            if (stripped.problem().isPresent()) {
                Hl7Error e = stripped.problem().get();
                d = IngestDecision.error(e.code(), e.location(), e.text());
            }
        }
        Optional<String> ack = AckBuilder.ackFor(m, d, "RB-" + IDS.incrementAndGet(), "20260322153000");
        return new Result(m, d, stripped, ack);
    }
}
