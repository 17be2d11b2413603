package be.recordbroker.rest;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.domain.Professional;
import be.recordbroker.retrieve.OpenedDocument;
import be.recordbroker.retrieve.Retrieval;
import be.recordbroker.retrieve.RetrievalDenied;
import be.recordbroker.retrieve.RetrievalFailure;
import be.recordbroker.retrieve.RetrievalMetrics;
import be.recordbroker.retrieve.RetrieveRequest;

/**
 * {@code GET /api/v1/documents/{id}}: the document, streamed from its original source with the source's Content-Type
 * and Content-Length.
 *
 * <p><b>Why a Spring MVC controller and not Camel's REST DSL.</b> The decision (decode, look up, gate, open the source)
 * is the Camel route {@code retrieve-document}, shared with SOAP GetTransaction; only the copying of the bytes happens
 * here. camel-platform-http's Spring Boot binding (4.17) writes an InputStream body either chunked (then the
 * Content-Length header is filtered out and the source's length is lost) or, to set a length, by first copying the
 * whole body into a {@code CachedOutputStream}, which holds it in memory or spools it to a temp file — a copy of the
 * document, which the Original Source Principle forbids. Here the bytes go from the source's socket to the caller's in
 * one bounded buffer, the status and length are only committed once the source has answered, and a source failure
 * before the first byte is still a clean problem+json.
 */
@RestController
public class DocumentRetrieveController {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentRetrieveController.class);

    private final ProducerTemplate routes;
    private final BearerTokenVerifier identities;
    private final DocumentStreamer streamer;
    private final RetrievalMetrics metrics;
    private final Clock clock;

    public DocumentRetrieveController(ProducerTemplate routes, BearerTokenVerifier identities, DocumentStreamer streamer,
                                      RetrievalMetrics metrics, Clock clock) {
        this.routes = routes;
        this.identities = identities;
        this.streamer = streamer;
        this.metrics = metrics;
        this.clock = clock;
    }

    @GetMapping("/api/v1/documents/{id}")
    public void retrieve(@PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        long started = System.nanoTime();
        String requestId = RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER));
        Professional caller = null;
        String authError = null;
        try {
            caller = identities.verify(request.getHeader("Authorization"));
        } catch (BearerTokenVerifier.UnauthenticatedException e) {
            authError = e.getMessage();
        }
        RetrieveRequest retrieve = new RetrieveRequest(id, caller, authError, request.getHeader("X-Break-The-Glass"),
                "rest", requestId, clock.instant());
        Exchange exchange = routes.send("direct:retrieve-document", e -> e.getIn().setBody(Retrieval.of(retrieve)));
        Exception failure = exchange.getException();
        if (failure == null) {
            streamer.stream(exchange.getMessage().getBody(OpenedDocument.class), response, started);
            return;
        }
        // the body is the retrieval as the last successful step left it (for the route tag)
        Retrieval last = exchange.getMessage().getBody(Retrieval.class);
        String route = last == null ? "none" : last.routeTag();
        if (failure instanceof RetrievalDenied denied) {
            AccessDecision decision = denied.decision();
            Problems.problem(response, decision.reason().httpStatus(), decision.reason().name(),
                    denied.authenticationError() != null ? denied.authenticationError() : decision.detail(), requestId);
            metrics.record("rest", route, RetrievalMetrics.DENIED, 0, System.nanoTime() - started);
        } else if (failure instanceof RetrievalFailure f) {
            Problems.problem(response, f.reason().httpStatus(), f.reason().name(), f.getMessage(), requestId);
            metrics.record("rest", route, f.reason().outcome(), 0, System.nanoTime() - started);
        } else {
            LOG.error("retrieval {} failed: {}", requestId, failure.getClass().getName());
            Problems.problem(response, 500, "INTERNAL_ERROR", "the retrieval failed; request id " + requestId, requestId);
            metrics.record("rest", route, "error", 0, System.nanoTime() - started);
        }
    }
}
