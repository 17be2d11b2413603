package be.recordbroker.web;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.domain.InputRules;

/**
 * REST answers: JSON bodies, and {@code application/problem+json} (RFC 9457) errors as Spring's {@link ProblemDetail},
 * written by the application's {@link ObjectMapper} bean (Spring Boot's, which carries Spring's ProblemDetail mix-in:
 * the extra properties sit at the top level). Besides type, title, status and detail, a problem carries the stable
 * reason code (docs/access-and-audit.md) as {@code reason} (also as {@code code}), the request id and the trace id
 * ({@code traceId}: the W3C trace id of the request's trace, the one in the log lines and exported spans; the request
 * id where no trace is current). Every answer is {@code Cache-Control: no-store}: it holds health data or says who may
 * see it.
 *
 * <p>One bean ({@code config.RestFaceConfiguration}) answers on Camel's REST exchanges with the application's mapper and
 * its copy that writes nulls, both made once: looking the mapper up in the registry on every answer cost a third as
 * much as writing the answer (search benchmark's JFR, wave 5). The servlet faces write with the mapper they are given
 * ({@link #problem(HttpServletResponse, ObjectMapper, int, String, String, String)}).
 */
public final class Problems {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** The application's mapper (nulls left out). */
    private final ObjectMapper json;
    /** Its copy that writes nulls: the REST contract's nullable fields. */
    private final ObjectMapper withNulls;

    /** @param json the application's {@link ObjectMapper} bean (Spring Boot's, with Spring's ProblemDetail mix-in) */
    public Problems(ObjectMapper json) {
        this.json = json;
        this.withNulls = json.copy().setDefaultPropertyInclusion(JsonInclude.Include.ALWAYS);
    }

    /** The problem the faces answer: type {@code urn:record-broker:problem:<reason>}, title from the status. */
    public static ProblemDetail of(int status, String reason, String detail, String requestId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setType(URI.create("urn:record-broker:problem:" + reason.toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setProperty("reason", reason);
        problem.setProperty("code", reason);
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        String traceId = TraceIds.current();
        if (traceId != null || requestId != null) {
            problem.setProperty("traceId", traceId != null ? traceId : requestId);
        }
        return problem;
    }

    /**
     * A JSON answer on a Camel REST exchange. Its null fields are written: the contract (docs/openapi.md) has them
     * required and nullable, while the application's mapper leaves nulls out ({@code spring.jackson
     * .default-property-inclusion} in config/application.yaml), so the answer uses a copy of it that writes them.
     */
    public void json(Exchange exchange, int status, Object body) {
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Cache-Control", "no-store");
        try {
            // UTF-8 bytes, as JSON is: nothing converts the text again on its way out
            message.setBody(withNulls.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON answer", e);
        }
    }

    /** A problem on a Camel REST exchange (the request id from the exchange's {@value #REQUEST_ID_HEADER}). */
    public void problem(Exchange exchange, int status, String reason, String detail) {
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        message.setHeader("Cache-Control", "no-store");
        if (status == 401) {
            message.setHeader("WWW-Authenticate", "Bearer");
        }
        message.setBody(write(json, of(status, reason, detail, message.getHeader(REQUEST_ID_HEADER, String.class))));
    }

    /** A gate's refusal on a Camel REST exchange: its reason's status and code. */
    public void denied(Exchange exchange, AccessDecision decision) {
        problem(exchange, decision.reason().httpStatus(), decision.reason().name(), decision.detail());
    }

    /** A parameter refused by the input rules: 400 {@code INVALID_PARAMETER}. */
    public void invalidParameter(Exchange exchange, InputRules.InvalidInputException e) {
        problem(exchange, 400, "INVALID_PARAMETER", e.getMessage());
    }

    /** The same problem written straight to a servlet response (faces that stream, outside Camel's REST binding). */
    public static void problem(HttpServletResponse response, ObjectMapper json, int status, String reason,
                               String detail, String requestId) throws IOException {
        byte[] body = json.writeValueAsBytes(of(status, reason, detail, requestId));
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.setHeader("Cache-Control", "no-store");
        if (requestId != null) {
            response.setHeader(REQUEST_ID_HEADER, requestId);
        }
        if (status == 401 && !response.containsHeader("WWW-Authenticate")) {
            // the REST faces' scheme unless the caller set its own (the management port's Basic challenge)
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getOutputStream().write(body);
    }

    private static String write(ObjectMapper json, Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON answer", e);
        }
    }
}
