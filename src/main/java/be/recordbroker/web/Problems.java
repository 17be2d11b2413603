package be.recordbroker.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes REST answers on a Camel exchange: JSON bodies, and {@code application/problem+json} (RFC 9457) errors with
 * the stable {@code reason} code of DESIGN §3 (also as {@code code}), the request id and the trace id ({@code traceId}:
 * the W3C trace id of the request's trace, the one in the log lines and exported spans; the request id where no trace
 * is current).
 * Every answer is {@code Cache-Control: no-store}: it holds health data or says who may see it.
 */
public final class Problems {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private Problems() {
    }

    public static void json(Exchange exchange, int status, Object body) {
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Cache-Control", "no-store");
        message.setBody(write(body));
    }

    public static void problem(Exchange exchange, int status, String reason, String detail) {
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        message.setHeader("Cache-Control", "no-store");
        if (status == 401) {
            message.setHeader("WWW-Authenticate", "Bearer");
        }
        message.setBody(problemBody(status, reason, detail, message.getHeader(REQUEST_ID_HEADER)));
    }

    /** The same problem written straight to a servlet response (faces that stream, outside Camel's REST binding). */
    public static void problem(jakarta.servlet.http.HttpServletResponse response, int status, String reason,
                               String detail, String requestId) throws java.io.IOException {
        byte[] body = problemBody(status, reason, detail, requestId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/problem+json");
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

    private static String problemBody(int status, String reason, String detail, Object requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:record-broker:problem:" + reason.toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", title(status));
        body.put("status", status);
        body.put("reason", reason);
        body.put("code", reason);
        body.put("detail", detail);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        String traceId = TraceIds.current();
        if (traceId != null || requestId != null) {
            body.put("traceId", traceId != null ? traceId : requestId);
        }
        return write(body);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON answer", e);
        }
    }
}
