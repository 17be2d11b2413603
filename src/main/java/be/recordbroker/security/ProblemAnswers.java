package be.recordbroker.security;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;

/**
 * How an HTTP face refuses a caller it could not authenticate (401) or that lacks the role (403): problem+json with
 * {@code code} and {@code traceId} (REST, management) or a SOAP fault (SOAP). An unauthenticated refusal is counted
 * ({@code rb_unauthenticated_total{face}}) and logged at most every 10 s per face; it never writes an audit row, so
 * an anonymous flood cannot fill a patient's trail nor queue before identified callers' rows.
 */
public final class ProblemAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemAnswers.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final MeterRegistry registry;
    private final ObjectMapper json;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastLogged = new ConcurrentHashMap<>();

    public ProblemAnswers(MeterRegistry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    /** 401 problem+json (REST, FHIR, management), with the challenge of the face's scheme. */
    public AuthenticationEntryPoint problem(String face, String challenge) {
        return (request, response, e) -> {
            counted(face, request, e);
            String requestId = RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER));
            // before the body: the problem would set the REST faces' Bearer, and writing commits the response
            response.setHeader("WWW-Authenticate", challenge);
            Problems.problem(response, json, 401, "UNAUTHENTICATED", detail(e), requestId);
        };
    }

    /** Another face's 401 answer (FHIR: an OperationOutcome), counted and logged like the others. */
    public AuthenticationEntryPoint counted(String face, AuthenticationEntryPoint answer) {
        return (request, response, e) -> {
            counted(face, request, e);
            answer.commence(request, response, e);
        };
    }

    /** 403 problem+json: authenticated, without the role. */
    public AccessDeniedHandler forbidden() {
        return (request, response, e) -> Problems.problem(response, json, 403, "FORBIDDEN",
                "this needs the ops role", RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER)));
    }

    /**
     * What Spring Security's firewall refuses (a control character in a header, an encoded slash in the path...),
     * wherever it is found: in the security chain, or when a face reads a header only it uses, inside its route. On
     * the SOAP face's paths ({@code soapPath} and below) a SOAP 1.1 Client fault {@code INVALID_REQUEST: ...} with the
     * trace id in its detail, HTTP 500 as the face's other faults (WS-I Basic Profile: a JAX-WS client then reads the
     * fault); elsewhere 400 problem+json {@code INVALID_REQUEST}. Neither repeats the refused text.
     *
     * @param soapPath the SOAP face's servlet path ({@code cxf.path}, e.g. {@code /services})
     */
    public RequestRejectedHandler rejected(String soapPath) {
        String soap = soapPath.endsWith("/") ? soapPath.substring(0, soapPath.length() - 1) : soapPath;
        return (request, response, e) -> {
            String path = request.getRequestURI() == null ? ""
                    : request.getRequestURI().substring(Math.min(request.getContextPath().length(),
                            request.getRequestURI().length()));
            if (!soap.isEmpty() && (path.equals(soap) || path.startsWith(soap + "/"))) {
                soapFault(request, response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                        "INVALID_REQUEST: " + REJECTED);
                return;
            }
            Problems.problem(response, json, 400, "INVALID_REQUEST", REJECTED,
                    RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER)));
        };
    }

    private static final String REJECTED =
            "the request holds a character or sequence the broker does not accept in a header or path";

    /** 401 with a SOAP 1.1 fault: the SOAP face's callers are software that reads faults. */
    public AuthenticationEntryPoint soapFault(boolean basicChallenge) {
        return (request, response, e) -> {
            counted("soap", request, e);
            if (basicChallenge) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"record-broker\"");
            }
            soapFault(request, response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHENTICATED: the SOAP face needs"
                    + " the client certificate or credentials of a registered caller");
        };
    }

    /**
     * A SOAP 1.1 Client fault as the face's others are shaped ({@code soap.SoapFaultSanitizer}): the reason code
     * first in the fault string, the trace id in {@code detail/rb:traceId}. {@code faultString} is the broker's own
     * fixed text, never a caller's.
     */
    private static void soapFault(HttpServletRequest request, HttpServletResponse response, int status,
                                  String faultString) throws java.io.IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/xml;charset=UTF-8");
        byte[] body = ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>" + faultString + "</faultstring><detail>"
                + "<rb:traceId xmlns:rb=\"urn:record-broker\">" + traceId(request) + "</rb:traceId></detail>"
                + "</soap:Fault>"
                + "</soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void counted(String face, HttpServletRequest request, AuthenticationException e) {
        counters.computeIfAbsent(face, f -> Counter.builder("rb.unauthenticated")
                .description("requests refused for want of valid credentials, before any gate or audit row")
                .tag("face", f).register(registry)).increment();
        AtomicLong last = lastLogged.computeIfAbsent(face, f -> new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS));
        long now = System.nanoTime();
        long before = last.get();
        if (now - before >= LOG_EVERY_NANOS && last.compareAndSet(before, now)) {
            LOG.warn("{} request refused, unauthenticated ({} {}): {} (further refusals counted in"
                    + " rb_unauthenticated_total, logged at most every 10 s)", face, request.getMethod(),
                    withoutIdentifiers(request.getRequestURI()), e == null ? "no credentials" : e.getMessage());
        }
    }

    /** A path as logged: the SSIN a REST path names (11 digits) is not written to the log (issue 16). */
    static String withoutIdentifiers(String path) {
        return path == null ? null : ELEVEN_DIGITS.matcher(path).replaceAll("{ssin}");
    }

    private static final java.util.regex.Pattern ELEVEN_DIGITS = java.util.regex.Pattern.compile("(?<![0-9])[0-9]{11}(?![0-9])");

    /** The trace id of the refused request (issue 16), else its request id: either is a safe token. */
    private static String traceId(HttpServletRequest request) {
        String traceId = be.recordbroker.web.TraceIds.current();
        return traceId != null ? traceId : RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER));
    }

    private static String detail(AuthenticationException e) {
        if (e == null || e.getMessage() == null) {
            return "valid credentials are needed";
        }
        // Spring's messages name what was wrong with the token, never the token itself
        String message = e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

}
