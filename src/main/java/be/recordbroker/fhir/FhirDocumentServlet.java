package be.recordbroker.fhir;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ca.uhn.fhir.context.FhirContext;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.Professional;
import be.recordbroker.web.DocumentStreamer;
import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;
import be.recordbroker.security.RestCaller;
import be.recordbroker.web.RestInput;
import be.recordbroker.retrieve.OpenedDocument;
import be.recordbroker.retrieve.Retrieval;
import be.recordbroker.retrieve.RetrievalDenied;
import be.recordbroker.retrieve.RetrievalFailure;
import be.recordbroker.retrieve.RetrievalMetrics;
import be.recordbroker.retrieve.RetrieveRequest;
import be.recordbroker.security.CallerAuthentication;

/**
 * ITI-68 Retrieve Document: {@code GET /fhir/documents/{id}}, the URL of each DocumentReference's attachment. The
 * same retrieval as {@code GET /api/v1/documents/{id}}: the Camel route {@code retrieve-document} decides (decode,
 * locate, gate, open the source; audited with face {@code fhir}) and {@link DocumentStreamer} copies the bytes through
 * its one buffer with the source's Content-Type and Content-Length (no copy kept, same bounds). Only the refusals
 * differ: OperationOutcomes with the same reason codes. A servlet of its own, not a HAPI operation, because HAPI would
 * hold the document in memory as a Binary resource (see also DocumentRetrieveServlet on why a servlet).
 */
public class FhirDocumentServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(FhirDocumentServlet.class);

    private final transient ProducerTemplate routes;
    private final transient DocumentStreamer streamer;
    private final transient RetrievalMetrics metrics;
    private final transient FhirContext fhir;
    private final transient Clock clock;

    public FhirDocumentServlet(ProducerTemplate routes, DocumentStreamer streamer, RetrievalMetrics metrics,
                               FhirContext fhir, Clock clock) {
        this.routes = routes;
        this.streamer = streamer;
        this.metrics = metrics;
        this.fhir = fhir;
        this.clock = clock;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER));
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            refuse(response, 405, "METHOD_NOT_ALLOWED", "a document is read with GET", requestId);
            return;
        }
        String path = request.getPathInfo();
        String id = path == null || path.length() < 2 ? "" : path.substring(1);
        long started = System.nanoTime();
        try {
            RestInput.documentId(id); // before the gate: a bad value never reaches it nor the audit trail
        } catch (InputRules.InvalidInputException e) {
            refuse(response, 400, "INVALID_DOCUMENT_ID", e.getMessage(), requestId);
            return;
        }
        String breakTheGlass;
        try {
            breakTheGlass = RestInput.breakTheGlass(request.getHeader(RestCaller.BREAK_THE_GLASS_HEADER));
        } catch (InputRules.InvalidInputException e) {
            refuse(response, 400, "INVALID_PARAMETER", e.getMessage(), requestId);
            return;
        }
        CallerAuthentication who = RestCaller.current();
        Professional caller = who == null ? null : who.caller();
        RetrieveRequest retrieve = new RetrieveRequest(id, caller, who == null ? "no verified bearer token" : null,
                breakTheGlass, "fhir", requestId, clock.instant(), who == null ? null : who.client());
        Exchange exchange = routes.send("direct:retrieve-document", e -> e.getIn().setBody(Retrieval.of(retrieve)));
        Exception failure = exchange.getException();
        if (failure == null) {
            streamer.stream(exchange.getMessage().getBody(OpenedDocument.class), response, started, "fhir",
                    this::refuse);
            return;
        }
        Retrieval last = exchange.getMessage().getBody(Retrieval.class);
        String route = last == null ? "none" : last.routeTag();
        if (failure instanceof RetrievalDenied denied) {
            AccessDecision decision = denied.decision();
            refuse(response, decision.reason().httpStatus(), decision.reason().name(),
                    denied.authenticationError() != null ? denied.authenticationError() : decision.detail(), requestId);
            metrics.record("fhir", route, RetrievalMetrics.DENIED, 0, System.nanoTime() - started);
        } else if (failure instanceof RetrievalFailure f) {
            refuse(response, f.reason().httpStatus(), f.reason().name(), f.getMessage(), requestId);
            metrics.record("fhir", route, f.reason().outcome(), 0, System.nanoTime() - started);
        } else {
            LOG.error("FHIR retrieval {} failed: {}", requestId, failure.getClass().getName());
            refuse(response, 500, "INTERNAL_ERROR", "the retrieval failed; request id " + requestId, requestId);
            metrics.record("fhir", route, "error", 0, System.nanoTime() - started);
        }
    }

    private void refuse(HttpServletResponse response, int status, String reason, String detail, String requestId)
            throws IOException {
        FhirOutcomes.write(fhir, response, status, reason, detail, requestId);
    }
}
