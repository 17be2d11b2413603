package be.recordbroker.fhir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

import be.recordbroker.web.Problems;

/**
 * The FHIR face's errors: an {@link OperationOutcome} whose issue carries the same stable reason code as the REST
 * face's problem+json ({@code details.coding} in {@link #REASON_SYSTEM}) and the request id (extension
 * {@link #REQUEST_ID_EXTENSION}, also in the {@code X-Request-Id} header).
 */
public final class FhirOutcomes {

    /** The code system of the broker's reason codes (docs/access-and-audit.md: INVALID_SSIN, NO_CONSENT, ...). */
    public static final String REASON_SYSTEM = "urn:record-broker:reason";
    /** The request id (trace id) of the answer. */
    public static final String REQUEST_ID_EXTENSION = "urn:record-broker:fhir:request-id";
    public static final String FHIR_JSON = "application/fhir+json";

    private FhirOutcomes() {
    }

    public static OperationOutcome outcome(int status, String reason, String detail, String requestId) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(status >= 500 ? IssueSeverity.FATAL : IssueSeverity.ERROR)
                .setCode(issueType(status, reason))
                .setDetails(new CodeableConcept().setText(detail).addCoding(
                        new org.hl7.fhir.r4.model.Coding(REASON_SYSTEM, reason, null)))
                .setDiagnostics(detail);
        if (requestId != null) {
            outcome.addExtension(REQUEST_ID_EXTENSION, new StringType(requestId));
        }
        return outcome;
    }

    /** The exception a provider throws: HAPI answers it with {@code status} and the outcome as the body. */
    public static BaseServerResponseException refusal(int status, String reason, String detail, String requestId) {
        return new Refusal(status, reason, detail, outcome(status, reason, detail, requestId));
    }

    /**
     * A place in {@code lane} for a FHIR request, or admission control's refusal as an OperationOutcome. Called after
     * the input checks and before the gate, so a refused request leaves no audit row (nothing was looked at).
     */
    public static be.recordbroker.admission.Admission.Permit admitted(be.recordbroker.admission.Admission lane,
                                                                      String requestId) {
        try {
            return lane.enter("fhir");
        } catch (be.recordbroker.admission.Admission.Overloaded e) {
            throw overloaded(e, requestId);
        }
    }

    /** Admission control's refusal (issue 13): 503 {@code OVERLOADED} with {@code Retry-After}. */
    public static BaseServerResponseException overloaded(be.recordbroker.admission.Admission.Overloaded overloaded,
                                                         String requestId) {
        BaseServerResponseException refusal = refusal(503, overloaded.reason(), overloaded.getMessage(), requestId);
        refusal.addResponseHeader("Retry-After", Long.toString(overloaded.retryAfterSeconds()));
        return refusal;
    }

    /** Writes the outcome straight to a servlet response (outside HAPI's server: the security chain, ITI-68). */
    public static void write(FhirContext fhir, HttpServletResponse response, int status, String reason, String detail,
                             String requestId) throws IOException {
        byte[] body = fhir.newJsonParser().encodeResourceToString(outcome(status, reason, detail, requestId))
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(FHIR_JSON + ";charset=UTF-8");
        response.setContentLength(body.length);
        response.setHeader("Cache-Control", "no-store");
        if (requestId != null) {
            response.setHeader(Problems.REQUEST_ID_HEADER, requestId);
        }
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getOutputStream().write(body);
    }

    /**
     * The FHIR face's 401 (Spring Security's bearer chain): an OperationOutcome {@code UNAUTHENTICATED}, written with
     * the face's own context ({@code fhir}, looked up at the first refusal: the security chain is made before it).
     */
    public static org.springframework.security.web.AuthenticationEntryPoint unauthenticated(
            java.util.function.Supplier<FhirContext> fhir) {
        return (request, response, e) -> write(fhir.get(), response, 401, "UNAUTHENTICATED",
                e == null || e.getMessage() == null ? "valid credentials are needed"
                        : e.getMessage().length() > 300 ? e.getMessage().substring(0, 300) : e.getMessage(),
                be.recordbroker.web.RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER)));
    }

    /** The issue type for a status (and for the few reasons that say more). */
    static IssueType issueType(int status, String reason) {
        if ("UNKNOWN_DOCUMENT".equals(reason) || "UNKNOWN_HUB".equals(reason)) {
            return IssueType.NOTFOUND;
        }
        return switch (status) {
            case 400 -> IssueType.INVALID;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404 -> IssueType.NOTFOUND;
            case 405 -> IssueType.NOTSUPPORTED;
            case 504 -> IssueType.TIMEOUT;
            case 502, 503 -> IssueType.TRANSIENT;
            default -> IssueType.EXCEPTION;
        };
    }

    /** A refusal with its reason code kept for the outgoing-exception hook. */
    static final class Refusal extends BaseServerResponseException {
        private final String reason;

        Refusal(int status, String reason, String detail, OperationOutcome outcome) {
            super(status, detail, outcome);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
