/**
 * HL7 v2 ingest core: what an MLLP listener needs per frame, in plain Java (HAPI only as a test judge and for its
 * types in no hot path).
 *
 * <p><b>Per frame</b>, in this order (the durable enqueue sits between strip and acknowledge, and AA/CA is only
 * sent once it returned):
 * <pre>{@code
 * String er7 = Hl7Charsets.decode(frameBytes, defaultCharset);      // MSH-18, BOM, LF/CRLF -> CR
 * InboundMessage m = InboundMessage.parse(er7);                      // never throws
 * IngestDecision d = rules.check(m, hospitals::isKnown);              // AR / AE / accept / ignore
 * if (d.accepted()) {
 *     ContentStripper.Stripped s = ContentStripper.strip(m);          // Original Source Principle
 *     if (s.problem().isPresent()) d = IngestDecision.error(...s.problem()...);   // AE 102
 *     else try { enqueue(s.text(), s.contents(), s.pointers()); }
 *          catch (Exception e) { d = IngestDecision.unavailable("queue unavailable, retry later"); }
 * }
 * Optional<String> ack = AckBuilder.ackFor(m, d, nextAckId(), AckBuilder.timestamp(now));
 * // empty: an inbound ACK -> send nothing, keep the connection open
 * }</pre>
 * Encode the ACK with the charset of the frame (it echoes MSH-18).
 *
 * <p><b>Decisions</b> (details on the classes):
 * <ul>
 *   <li>an inbound ACK (MSH-9.1 = ACK) is never acknowledged: IGNORE, no answer, nothing enqueued, connection kept;</li>
 *   <li>a frame that is not HL7 (no leading MSH + field separator; empty, random bytes, "MSH" alone) gets AR with
 *       ERR 100 at MSH^1, in a minimal ACK with default delimiters and version 2.5: a decision, never an exception;</li>
 *   <li>enhanced mode (MSH-15 valued): ACCEPT → CA, content ERROR → CE, envelope REJECT → CR, UNAVAILABLE (our
 *       failure) → CE; MSH-15 = NE gives the application code AA/AE/AR instead. Table 0155 conditions
 *       (ER/SU/NE) are only applied on request, since an unwanted ACK costs less than a sender waiting forever;</li>
 *   <li>table 0357: 100 not HL7 / missing segment / two messages in a frame; 101 required field missing (MSH-4, -9,
 *       -10, -11, -12; SSIN; TXA-12; TXA-13 for T10; OBR-4; MRG-1); 102 invalid SSIN or undecodable embedded data;
 *       103 unknown sending facility (MSH-4.1 is table 0362 "Facility"); 200/201 message type/trigger;
 *       202 processing id; 203 version; 207 our own failure.</li>
 * </ul>
 *
 * <p><b>Measured</b> on the 2-core development machine (Hl7MicroTiming in the tests, best of 5 rounds after warm-up,
 * JDK 17, ranges over 4 noisy runs), per message:
 * <ul>
 *   <li>InboundMessage.parse 1.3–2.1 µs (ADT^A01, 0.2 KB) and 2.3–3.8 µs (MDM^T02, 1.7 KB); HAPI's
 *       PreParser.getFields for the same 35 fields 28–34 µs and 58–102 µs; HAPI's full PipeParser.parse
 *       36–87 µs and 150–246 µs;</li>
 *   <li>a hand-built ACK 0.4–0.5 µs (AA) and 1.2–1.5 µs (AE with ERR); the same through HAPI's v2.5 ACK model and
 *       PipeParser.encode 44–118 µs; generateACK() + encode on an already parsed message 42–77 µs;</li>
 *   <li>decode + parse + check + strip + ACK of the 1.7 KB MDM^T02: 10–12 µs; parse + strip of a 10 MB frame
 *       (7 MB of base64 PDF): 34–38 ms.</li>
 * </ul>
 */
package be.recordbroker.hl7;
