package ca.uhn.fhir.parser;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;

import org.hl7.fhir.instance.model.api.IBaseResource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.json.BaseJsonLikeWriter;

/**
 * HAPI's {@link JsonParser}, encoding through {@link TypedJsonWriter} instead of HAPI 8's {@code JacksonWriter}.
 * That writer hands every string, number and boolean to Jackson's {@code writeObject}, i.e. to an {@code ObjectMapper}
 * looking up a serializer per value: about a third of the CPU of encoding a searchset Bundle (the FHIR face's
 * benchmark, issue 15). Later HAPI (its {@code JacksonWriter} on Jackson 3) writes them with the typed calls, as this
 * one does; the JSON is the same. Parsing is HAPI's own, untouched. In HAPI's package only because the method it
 * overrides takes HAPI's package-private {@code EncodeContext}: drop this class when HAPI is upgraded.
 */
public class TypedFieldsJsonParser extends JsonParser {

    public TypedFieldsJsonParser(FhirContext context, IParserErrorHandler errors) {
        super(context, errors);
    }

    @Override
    protected void doEncodeResourceToWriter(IBaseResource resource, Writer writer, EncodeContext context)
            throws IOException {
        BaseJsonLikeWriter json = new TypedJsonWriter(writer);
        doEncodeResourceToJsonLikeWriter(resource, json, context);
        json.close();
    }

    /** HAPI's JacksonWriter with Jackson's typed writes, on a factory without an ObjectMapper. */
    static final class TypedJsonWriter extends BaseJsonLikeWriter {

        /** As HAPI's: the generator does not close the servlet's writer (HAPI does). */
        private static final JsonFactory FACTORY =
                JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

        private final JsonGenerator json;

        TypedJsonWriter(Writer writer) throws IOException {
            json = FACTORY.createGenerator(writer);
            setWriter(writer);
        }

        /** HAPI's pretty printer ({@code _pretty=true}). */
        @Override
        public BaseJsonLikeWriter init() {
            if (isPrettyPrint()) {
                json.setPrettyPrinter(new DefaultPrettyPrinter()
                        .withSeparators(new Separators("", ':', Separators.Spacing.AFTER, ',',
                                Separators.Spacing.NONE, ',', Separators.Spacing.NONE))
                        .withObjectIndenter(new DefaultIndenter("  ", "\n")));
            }
            return this;
        }

        @Override
        public BaseJsonLikeWriter flush() {
            return this;
        }

        @Override
        public void close() throws IOException {
            json.close();
        }

        @Override
        public BaseJsonLikeWriter beginObject() throws IOException {
            json.writeStartObject();
            return this;
        }

        @Override
        public BaseJsonLikeWriter beginObject(String name) throws IOException {
            json.writeObjectFieldStart(name);
            return this;
        }

        @Override
        public BaseJsonLikeWriter beginArray(String name) throws IOException {
            json.writeArrayFieldStart(name);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String value) throws IOException {
            json.writeString(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(BigInteger value) throws IOException {
            json.writeNumber(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(BigDecimal value) throws IOException {
            json.writeNumber(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(long value) throws IOException {
            json.writeNumber(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(double value) throws IOException {
            json.writeNumber(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(Boolean value) throws IOException {
            if (value == null) {
                json.writeNull();
            } else {
                json.writeBoolean(value);
            }
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(boolean value) throws IOException {
            json.writeBoolean(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter writeNull() throws IOException {
            json.writeNull();
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String name, String value) throws IOException {
            json.writeStringField(name, value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String name, BigInteger value) throws IOException {
            json.writeFieldName(name);
            json.writeNumber(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String name, BigDecimal value) throws IOException {
            json.writeNumberField(name, value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String name, long value) throws IOException {
            json.writeNumberField(name, value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String name, double value) throws IOException {
            json.writeNumberField(name, value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String name, Boolean value) throws IOException {
            json.writeFieldName(name);
            write(value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter write(String name, boolean value) throws IOException {
            json.writeBooleanField(name, value);
            return this;
        }

        @Override
        public BaseJsonLikeWriter endObject() throws IOException {
            json.writeEndObject();
            return this;
        }

        @Override
        public BaseJsonLikeWriter endArray() throws IOException {
            json.writeEndArray();
            return this;
        }

        @Override
        public BaseJsonLikeWriter endBlock() throws IOException {
            json.writeEndObject();
            return this;
        }
    }
}
