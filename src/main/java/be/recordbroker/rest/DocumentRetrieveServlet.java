package be.recordbroker.rest;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.Professional;
import be.recordbroker.retrieve.OpenedDocument;
import be.recordbroker.retrieve.Retrieval;
import be.recordbroker.retrieve.RetrievalDenied;
import be.recordbroker.retrieve.RetrievalFailure;
import be.recordbroker.retrieve.RetrievalMetrics;
import be.recordbroker.retrieve.RetrieveRequest;
import be.recordbroker.security.RestCaller;
import be.recordbroker.web.DocumentStreamer;
import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;
import be.recordbroker.web.RestInput;

/**
 * {@code GET /api/v1/documents/{id}}: the document, streamed from its original source with the source's Content-Type
 * and Content-Length. The decision (decode, locate, gate, open the source) is the Camel route
 * {@code retrieve-document}, shared with SOAP GetTransaction; only the copying of the bytes happens here
 * ({@link DocumentStreamer}).
 *
 * <p><b>Why a plain servlet, not Camel's REST DSL nor a Spring MVC controller.</b> camel-platform-http's Spring Boot
 * binding (4.17) writes an InputStream body either chunked (the Content-Length header is then filtered out and the
 * source's length lost) or, to give a length, after copying the whole body into a {@code CachedOutputStream}, which
 * holds it in memory or spools it to a temp file: a copy of the document, which the Original Source Principle forbids.
 * A Spring MVC (6.2) handler streams fine, but when a source dies mid-document the only honest signal left is to drop
 * the caller's connection, which Tomcat does for a handler ending in {@code ClientAbortException}; Spring MVC takes that
 * exception for a client that went away and completes the response normally, leaving the caller waiting for bytes that
 * never come. A servlet hands it to Tomcat as it is.
 */
public class DocumentRetrieveServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentRetrieveServlet.class);

    private final transient ProducerTemplate routes;
    private final transient DocumentStreamer streamer;
    private final transient RetrievalMetrics metrics;
    private final transient Clock clock;
    private final transient ObjectMapper json;

    public DocumentRetrieveServlet(ProducerTemplate routes, DocumentStreamer streamer, RetrievalMetrics metrics,
                                   Clock clock, ObjectMapper json) {
        this.routes = routes;
        this.streamer = streamer;
        this.metrics = metrics;
        this.clock = clock;
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER));
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            Problems.problem(response, json, 405, "METHOD_NOT_ALLOWED", "a document is read with GET", requestId);
            return;
        }
        String path = request.getPathInfo();
        retrieve(path == null || path.length() < 2 ? "" : path.substring(1), request, response, requestId);
    }

    private void retrieve(String id, HttpServletRequest request, HttpServletResponse response, String requestId)
            throws IOException {
        long started = System.nanoTime();
        try {
            // before the gate: a bad value never reaches it nor the audit trail (a malformed id keeps its own code)
            RestInput.documentId(id);
        } catch (InputRules.InvalidInputException e) {
            Problems.problem(response, json, 400, "INVALID_DOCUMENT_ID", e.getMessage(), requestId);
            return;
        }
        try {
            RestInput.breakTheGlass(request.getHeader(RestCaller.BREAK_THE_GLASS_HEADER));
        } catch (InputRules.InvalidInputException e) {
            Problems.problem(response, json, 400, "INVALID_PARAMETER", e.getMessage(), requestId);
            return;
        }
        // Spring Security's resource server has verified the bearer token before this servlet (SecurityConfiguration)
        be.recordbroker.security.CallerAuthentication who = RestCaller.current();
        Professional caller = who == null ? null : who.caller();
        String authError = who == null ? "no verified bearer token" : null;
        RetrieveRequest retrieve = new RetrieveRequest(id, caller, authError, request.getHeader("X-Break-The-Glass"),
                "rest", requestId, clock.instant(), who == null ? null : who.client());
        Exchange exchange = routes.send("direct:retrieve-document", e -> e.getIn().setBody(Retrieval.of(retrieve)));
        Exception failure = exchange.getException();
        if (failure == null) {
            streamer.stream(exchange.getMessage().getBody(OpenedDocument.class), response, started, "rest",
                    (answer, status, reason, detail, rid) ->
                            Problems.problem(answer, json, status, reason, detail, rid));
            return;
        }
        // the body is the retrieval as its last successful stage left it (for the route tag)
        Retrieval last = exchange.getMessage().getBody(Retrieval.class);
        String route = last == null ? "none" : last.routeTag();
        if (failure instanceof RetrievalDenied denied) {
            AccessDecision decision = denied.decision();
            Problems.problem(response, json, decision.reason().httpStatus(), decision.reason().name(),
                    denied.authenticationError() != null ? denied.authenticationError() : decision.detail(), requestId);
            metrics.record("rest", route, RetrievalMetrics.DENIED, 0, System.nanoTime() - started);
        } else if (failure instanceof RetrievalFailure f) {
            Problems.problem(response, json, f.reason().httpStatus(), f.reason().name(), f.getMessage(), requestId);
            metrics.record("rest", route, f.reason().outcome(), 0, System.nanoTime() - started);
        } else {
            LOG.error("retrieval {} failed: {}", requestId, failure.getClass().getName(), failure);
            Problems.problem(response, json, 500, "INTERNAL_ERROR", "the retrieval failed; request id " + requestId,
                    requestId);
            metrics.record("rest", route, "error", 0, System.nanoTime() - started);
        }
    }
}
