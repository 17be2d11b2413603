package be.recordbroker.hl7;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.function.Supplier;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v25.message.ACK;
import ca.uhn.hl7v2.model.v25.segment.ERR;
import ca.uhn.hl7v2.model.v25.segment.MSH;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.preparser.PreParser;

/**
 * A tiny timing loop, not a test and not a benchmark (those belong to the project's benchmark command): it only
 * tells which way to build the per-message path. Run it from the test classpath:
 * {@code java -cp target/classes:target/test-classes:<deps> be.recordbroker.hl7.Hl7MicroTiming}.
 */
public final class Hl7MicroTiming {

    private static long sink;

    private Hl7MicroTiming() {
    }

    public static void main(String[] args) throws Exception {
        String adt = Fixtures.adt("A01");
        String mdm = mdm2k();
        byte[] mdmBytes = mdm.getBytes(StandardCharsets.ISO_8859_1);
        System.out.printf("messages: ADT^A01 %d chars, MDM^T02 %d chars%n", adt.length(), mdm.length());

        HapiContext hapi = new DefaultHapiContext(); // as HAPI's SimpleServer: default model and validation
        PipeParser pipe = hapi.getPipeParser();
        IngestRules rules = new IngestRules(IngestRules.Config.defaults());
        InboundMessage parsedAdt = InboundMessage.parse(adt);
        Hl7Error error = new Hl7Error("101", "PID^1^3", "PID-3 has no SSIN (a repetition with identifier type NN)");
        String[] paths = {"MSH-3", "MSH-4-1", "MSH-4", "MSH-5", "MSH-6", "MSH-7-1", "MSH-9-1", "MSH-9-2", "MSH-9-3",
                "MSH-10", "MSH-11-1", "MSH-12-1", "MSH-15", "MSH-16", "MSH-18", "PID-3(0)-1", "PID-3(0)-4-1",
                "PID-3(0)-5", "PID-3(1)-1", "PID-3(1)-4-1", "PID-3(1)-5", "MRG-1-1", "TXA-2", "TXA-12-1", "TXA-13-1",
                "TXA-16", "TXA-17", "TXA-19", "OBR-3-1", "OBR-4-1", "OBR-4-2", "OBX-1", "OBX-2", "OBX-3-1", "OBX-5"};

        System.out.println("-- parse (per message)");
        time("InboundMessage.parse ADT", () -> InboundMessage.parse(adt));
        time("PreParser.getFields ADT (35 paths)", () -> preparse(adt, paths));
        time("HAPI PipeParser.parse ADT (full model)", () -> hapiParse(pipe, adt));
        time("InboundMessage.parse MDM 2KB", () -> InboundMessage.parse(mdm));
        time("PreParser.getFields MDM 2KB (35 paths)", () -> preparse(mdm, paths));
        time("HAPI PipeParser.parse MDM 2KB (full model)", () -> hapiParse(pipe, mdm));

        System.out.println("-- ACK build (per message)");
        time("AckBuilder AA (hand)", () -> AckBuilder.ack(parsedAdt, "AA", null, "RB-1", "20260322153000.123+0100"));
        time("AckBuilder AE + ERR (hand)", () -> AckBuilder.ack(parsedAdt, "AE", error, "RB-1", "20260322153000.123+0100"));
        time("HAPI v25 ACK model + encode AA", () -> hapiAck(pipe, parsedAdt, "AA", null));
        time("HAPI v25 ACK model + encode AE + ERR", () -> hapiAck(pipe, parsedAdt, "AE", error));
        Message full = pipe.parse(adt);
        time("HAPI generateACK() + encode (parsed msg)", () -> {
            try {
                return pipe.encode(full.generateACK());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        System.out.println("-- whole per-frame path, MDM 2KB bytes");
        time("decode+parse+check+strip+ack", () -> {
            InboundMessage m = InboundMessage.parse(Hl7Charsets.decode(mdmBytes, StandardCharsets.ISO_8859_1));
            IngestDecision d = rules.check(m, f -> true);
            ContentStripper.Stripped s = ContentStripper.strip(m);
            return AckBuilder.ackFor(m, d, "RB-1", "20260322153000").orElseThrow().length() + s.text().length();
        });

        byte[] big = new byte[7 * 1024 * 1024];
        new Random(1).nextBytes(big);
        String tenMb = Fixtures.msg(Fixtures.msh("MDM^T02"), Fixtures.PID, Fixtures.txa("T02", "D", ""),
                "OBX|1|ED|x||^AP^PDF^Base64^" + Base64.getEncoder().encodeToString(big) + "||||||F");
        System.out.printf("-- 10 MB frame (%d chars)%n", tenMb.length());
        time("parse+strip 10 MB ED", () -> ContentStripper.strip(InboundMessage.parse(tenMb)).contents().get(0).size());
        System.out.println("(sink " + sink + ")");
    }

    private static String mdm2k() {
        byte[] doc = new byte[1000];
        new Random(3).nextBytes(doc);
        return Fixtures.msg(Fixtures.msh("MDM^T02^MDM_T02"), "EVN|T02|20260322153000", Fixtures.PID,
                "PV1|1|O|CARD^201^1|||||1234567^Janssens^Marc^^^Dr|||||||||||V-0001",
                Fixtures.txa("T02", "DOC-1", ""),
                "OBX|1|ED|CR^Consultation report^L||HOSP_A^AP^PDF^Base64^" + Base64.getEncoder().encodeToString(doc)
                        + "||||||F");
    }

    private static Object preparse(String message, String[] paths) {
        try {
            return PreParser.getFields(message, paths);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object hapiParse(PipeParser pipe, String message) {
        try {
            return pipe.parse(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same ACK as AckBuilder, through HAPI's v2.5 model. */
    private static String hapiAck(PipeParser pipe, InboundMessage m, String code, Hl7Error e) {
        try {
            ACK ack = new ACK(pipe.getHapiContext().getModelClassFactory()); // the shared factory: the fair way
            ack.setParser(pipe);
            ack.initQuickstart("ACK", m.triggerEvent(), m.processingId());
            MSH msh = ack.getMSH();
            msh.getSendingApplication().parse(m.receivingApplication());
            msh.getSendingFacility().parse(m.receivingFacility());
            msh.getReceivingApplication().parse(m.sendingApplication());
            msh.getReceivingFacility().parse(m.sendingFacilityRaw());
            msh.getDateTimeOfMessage().getTime().setValue("20260322153000.123+0100");
            msh.getMessageControlID().setValue("RB-1");
            msh.getVersionID().getVersionID().setValue(m.version());
            ack.getMSA().getAcknowledgmentCode().setValue(code);
            ack.getMSA().getMessageControlID().setValue(m.controlId());
            if (e != null) {
                ack.getMSA().getTextMessage().setValue(e.text());
                ERR err = ack.getERR(0);
                err.getErrorLocation(0).getSegmentID().setValue("PID");
                err.getErrorLocation(0).getSegmentSequence().setValue("1");
                err.getErrorLocation(0).getFieldPosition().setValue("3");
                err.getHL7ErrorCode().getIdentifier().setValue(e.code());
                err.getHL7ErrorCode().getText().setValue(e.codeName());
                err.getHL7ErrorCode().getNameOfCodingSystem().setValue("HL70357");
                err.getSeverity().setValue("E");
                err.getUserMessage().setValue(e.text());
            }
            return pipe.encode(ack);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void time(String name, Supplier<Object> task) {
        long warmUntil = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < warmUntil) {
            sink += task.get().hashCode();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            int n = 0;
            long start = System.nanoTime();
            long end = start + 400_000_000L;
            long now;
            do {
                sink += task.get().hashCode();
                n++;
                now = System.nanoTime();
            } while (now < end);
            best = Math.min(best, (now - start) / n);
        }
        System.out.printf("  %-45s %,12d ns/op%n", name, best);
    }
}
