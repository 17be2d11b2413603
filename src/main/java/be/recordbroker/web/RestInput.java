package be.recordbroker.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Message;

import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.InputRules.InvalidInputException;

/**
 * The REST face's parameter checks, applied before the gate (so a bad value never reaches the gate nor an audit row):
 * the path SSIN and the {@code X-Break-The-Glass} header of every route, and each route's own query parameters. A
 * refusal is a 400 problem+json {@code INVALID_PARAMETER} naming the parameter ({@link #refuse}).
 */
public final class RestInput {

    /** The header carrying a break-the-glass reason on the REST and FHIR faces. */
    public static final String BREAK_THE_GLASS_HEADER = "X-Break-The-Glass";

    private RestInput() {
    }

    /** The checks every patient route shares: the path SSIN and the break-the-glass header. */
    public static void common(Message message) {
        InputRules.text("ssin", message.getHeader("ssin", String.class), InputRules.MAX_SSIN_LENGTH);
        breakTheGlass(message.getHeader(BREAK_THE_GLASS_HEADER, String.class));
    }

    /** The {@code X-Break-The-Glass} header: free text without control characters, bounded. */
    public static String breakTheGlass(String value) {
        return InputRules.text(BREAK_THE_GLASS_HEADER, value, InputRules.MAX_BREAK_THE_GLASS);
    }

    /** A document id from the path: opaque, no control characters, bounded. */
    public static String documentId(String value) {
        return InputRules.text("id", value, InputRules.MAX_DOCUMENT_ID);
    }

    /** The {@code type} filter: repeatable or comma-separated transaction codes, lower-cased. */
    public static Set<String> types(Object header) {
        Set<String> types = new LinkedHashSet<>();
        List<?> values = header == null ? List.of() : header instanceof List<?> list ? list : List.of(header);
        for (Object value : values) {
            InputRules.text("type", value.toString(), 4096);
            for (String type : value.toString().split(",")) {
                String code = InputRules.transactionCode("type", type);
                if (code != null) {
                    types.add(code.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (types.size() > InputRules.MAX_TYPES) {
            throw new InvalidInputException("type", "at most " + InputRules.MAX_TYPES + " codes");
        }
        return types;
    }
}
