package be.recordbroker.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * HAPI as the judge of what this package writes: every ACK (and stripped message) is parsed with HAPI's PipeParser
 * into the v2.5 model, and its fields are read back through a Terser (which unescapes, as a receiver would).
 */
final class HapiJudge {

    private static final PipeParser PARSER;

    static {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        PARSER = context.getPipeParser();
    }

    private HapiJudge() {
    }

    /** Parses with HAPI; fails the test (HL7Exception wrapped) when HAPI cannot read it. */
    static Terser parse(String er7) {
        try {
            Message message = PARSER.parse(er7);
            return new Terser(message);
        } catch (HL7Exception e) {
            throw new AssertionError("HAPI could not parse:\n" + er7.replace('\r', '\n'), e);
        }
    }

    /** Terser.get with HL7Exception wrapped; an empty value reads as "". */
    static String get(Terser t, String path) {
        try {
            String value = t.get(path);
            return value == null ? "" : value;
        } catch (HL7Exception e) {
            throw new AssertionError("Terser could not read " + path, e);
        }
    }
}
