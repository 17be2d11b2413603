package be.recordbroker.fhir;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;

import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.InputRules.InvalidInputException;

/**
 * The FHIR face's parameter checks, applied before the gate like the REST face's ({@code RestInput}): a bad value
 * never reaches the gate nor the audit trail; a refusal is 400 {@code INVALID_PARAMETER} naming the parameter.
 */
final class FhirSearchInput {

    /**
     * The largest {@code _offset}: far beyond any patient's documents or trail, and low enough that the offset plus a
     * page ({@code _count}) never overflows an int (a next link at a negative offset).
     */
    static final int MAX_OFFSET = 1_000_000_000;

    private FhirSearchInput() {
    }

    /** {@code patient.identifier=<SSIN system>|<ssin>}: the SSIN as given (the gate validates it: INVALID_SSIN). */
    static String patientSsin(ReferenceParam patient) {
        if (patient == null || !"identifier".equals(patient.getChain())) {
            throw new InvalidInputException("patient.identifier", "the patient is named by "
                    + "patient.identifier=" + DocumentReferences.SSIN_SYSTEM + "|<ssin>");
        }
        String value = patient.getValue();
        InputRules.text("patient.identifier", value, DocumentReferences.SSIN_SYSTEM.length() + 1 + 64);
        int bar = value == null ? -1 : value.indexOf('|');
        if (bar < 0 || !DocumentReferences.SSIN_SYSTEM.equals(value.substring(0, bar))) {
            throw new InvalidInputException("patient.identifier", "the identifier system must be "
                    + DocumentReferences.SSIN_SYSTEM);
        }
        String ssin = value.substring(bar + 1);
        return InputRules.text("patient.identifier", ssin, InputRules.MAX_SSIN_LENGTH);
    }

    /** {@code type} / {@code category}: CD-TRANSACTION codes, with that system or none. */
    static Set<String> transactionCodes(String parameter, TokenOrListParam tokens) {
        Set<String> codes = new LinkedHashSet<>();
        if (tokens == null) {
            return codes;
        }
        for (TokenParam token : tokens.getValuesAsQueryTokens()) {
            if (token.getModifier() != null) {
                throw new InvalidInputException(parameter, "no modifier is supported");
            }
            if (token.getSystem() != null && !token.getSystem().isEmpty()
                    && !DocumentReferences.CD_TRANSACTION.equals(token.getSystem())) {
                throw new InvalidInputException(parameter, "the code system must be " + DocumentReferences.CD_TRANSACTION);
            }
            String code = InputRules.transactionCode(parameter, token.getValue());
            if (code == null) {
                throw new InvalidInputException(parameter, "a code is needed");
            }
            codes.add(code.toLowerCase(Locale.ROOT));
        }
        if (codes.size() > InputRules.MAX_TYPES) {
            throw new InvalidInputException(parameter, "at most " + InputRules.MAX_TYPES + " codes");
        }
        return codes;
    }

    /** {@code status}: current, superseded, entered-in-error. */
    static Set<String> statuses(TokenOrListParam tokens) {
        Set<String> statuses = new LinkedHashSet<>();
        if (tokens == null) {
            return statuses;
        }
        for (TokenParam token : tokens.getValuesAsQueryTokens()) {
            String value = token.getValue() == null ? "" : token.getValue();
            if (token.getModifier() != null || !Set.of("current", "superseded", "entered-in-error").contains(value)) {
                throw new InvalidInputException("status", "current, superseded or entered-in-error");
            }
            statuses.add(value);
        }
        return statuses;
    }

    /** {@code date=geYYYY-MM-DD} and/or {@code date=leYYYY-MM-DD}: the clinical dates kept, both ends included. */
    static LocalDate[] dates(DateRangeParam range) {
        LocalDate from = null;
        LocalDate to = null;
        if (range != null) {
            for (DateParam date : new DateParam[] {range.getLowerBound(), range.getUpperBound()}) {
                if (date == null) {
                    continue;
                }
                ParamPrefixEnum prefix = date.getPrefix();
                String text = date.getValueAsString();
                LocalDate day = InputRules.date("date", text == null || text.length() < 10 ? text : text.substring(0, 10));
                if (prefix == ParamPrefixEnum.GREATERTHAN_OR_EQUALS) {
                    from = day;
                } else if (prefix == ParamPrefixEnum.LESSTHAN_OR_EQUALS) {
                    to = day;
                } else {
                    throw new InvalidInputException("date", "ge<yyyy-mm-dd> and le<yyyy-mm-dd> are supported");
                }
            }
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidInputException("date", "ge must not be after le");
        }
        return new LocalDate[] {from, to};
    }
}
