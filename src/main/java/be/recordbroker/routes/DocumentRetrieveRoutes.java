package be.recordbroker.routes;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.cxf.binding.soap.SoapFault;
import org.springframework.stereotype.Component;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionResponseType;
import be.recordbroker.admission.Admission;
import be.recordbroker.admission.Admissions;
import be.recordbroker.domain.InputRules;
import be.recordbroker.soap.SoapInput;
import be.recordbroker.retrieve.DocumentLocator;
import be.recordbroker.retrieve.DocumentSources;
import be.recordbroker.retrieve.OpenedDocument;
import be.recordbroker.retrieve.Retrieval;
import be.recordbroker.retrieve.RetrievalDenied;
import be.recordbroker.retrieve.RetrievalFailure;
import be.recordbroker.retrieve.RetrievalGate;
import be.recordbroker.retrieve.RetrievalMetrics;
import be.recordbroker.soap.SoapGetTransaction;

/**
 * Retrieval of one document from its original source (docs/retrieval.md).
 * <ul>
 *   <li>{@code retrieve-document} ({@code direct:retrieve-document}): the stages every face shares — decode the sealed
 *       id (a forged one never reaches a hub), the patient-level gate (decided and audited as {@code locate}: a
 *       refused caller gets the same answer whether the document exists or not, and no hub is asked), locate the
 *       document at its hub (type, source hospital; a failure is audited too), the document-level gate (matrix,
 *       access rights; audited as {@code read}), open the source. The
 *       body is a {@link Retrieval} going in and an {@link OpenedDocument} coming out; a refusal is a
 *       {@link RetrievalDenied} or {@link RetrievalFailure} exception. Called by the REST face
 *       ({@code rest.DocumentRetrieveServlet}, which streams the bytes), the FHIR face's ITI-68
 *       ({@code fhir.FhirDocumentServlet}) and GetTransaction below.</li>
 *   <li>{@code soap-get-transaction}: IntraHub GetTransaction on the SOAP face ({@code IntraHubSoapRoutes}
 *       dispatches it here): the same stages, answered as KMEHR.</li>
 * </ul>
 * The content never passes through Camel: the route ends with the source opened, not read, so stream caching,
 * tracing or an error handler can never hold or log a byte of it.
 */
@Component
public class DocumentRetrieveRoutes extends RouteBuilder {

    static final String STARTED = "record-broker.retrieve.started";
    static final String SOAP_REQUEST = "record-broker.retrieve.soap-request";

    private final DocumentLocator locator;
    private final RetrievalGate gate;
    private final DocumentSources sources;
    private final SoapGetTransaction soap;
    private final RetrievalMetrics metrics;
    /** At most so many retrievals at work, a short queue, then a fault (issue 13); REST: AdmissionConfiguration. */
    private final Admission admission;

    public DocumentRetrieveRoutes(DocumentLocator locator, RetrievalGate gate, DocumentSources sources,
                                  SoapGetTransaction soap, RetrievalMetrics metrics, Admissions admissions) {
        this.admission = admissions.retrieve();
        this.locator = locator;
        this.gate = gate;
        this.sources = sources;
        this.soap = soap;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        // Refusals are answers (problem+json, KMEHR errors) made by the faces, not incidents: no redelivery, and no
        // error-handler log line with a stack trace for every 404.
        errorHandler(noErrorHandler());

        from("direct:retrieve-document").routeId("retrieve-document")
                .process(e -> e.getMessage().setBody(locator.decode(retrieval(e))))
                .process(e -> e.getMessage().setBody(gate.authorisePatient(retrieval(e))))
                .process(e -> e.getMessage().setBody(locate(retrieval(e))))
                .process(e -> e.getMessage().setBody(gate.authoriseDocument(retrieval(e))))
                .process(e -> e.getMessage().setBody(sources.open(retrieval(e))));

        from("direct:soap-get-transaction").routeId("soap-get-transaction")
                .process(this::acceptSoapRequest)
                .doTry()
                    .process(e -> e.getMessage().setBody(soap.read(soapRequest(e), be.recordbroker.soap.SoapCallers.clientOf(e))))
                    .to("direct:retrieve-document")
                    .process(this::soapAnswer)
                .doCatch(RetrievalDenied.class)
                    .process(this::soapDenied)
                .doCatch(RetrievalFailure.class)
                    .process(this::soapFailed)
                .end();
    }

    /** The hub is asked only now; a failure to locate is written to the audit trail before it is answered. */
    private Retrieval locate(Retrieval retrieval) {
        try {
            return locator.locate(retrieval);
        } catch (RetrievalFailure failure) {
            gate.locateFailed(retrieval, failure);
            throw failure;
        }
    }

    private static Retrieval retrieval(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        return exchange.getMessage().getMandatoryBody(Retrieval.class);
    }

    private void acceptSoapRequest(Exchange exchange) {
        GetTransactionRequestType request = exchange.getMessage().getBody(GetTransactionRequestType.class);
        if (request == null) {
            throw new SoapFault("GetTransaction needs a request body", SoapFault.FAULT_CODE_CLIENT);
        }
        try {
            SoapInput.check(request); // before the gate: a bad value never reaches it nor the audit trail
        } catch (InputRules.InvalidInputException e) {
            throw SoapInput.fault(e);
        }
        Admission.Permit permit;
        try {
            permit = admission.enter("soap");
        } catch (Admission.Overloaded e) {
            // SOAP 1.1 answers every fault with HTTP 500: the code and the wait are in the fault string
            throw new be.recordbroker.soap.OverloadedFault(e, be.recordbroker.soap.SoapCallers.requestIdOf(request.getRequest()));
        }
        // the place is held until the answer (with the document) has been made, whatever the outcome
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                permit.close();
            }
        });
        exchange.setProperty(SOAP_REQUEST, request);
        exchange.setProperty(STARTED, System.nanoTime());
    }

    private static GetTransactionRequestType soapRequest(Exchange exchange) {
        return exchange.getProperty(SOAP_REQUEST, GetTransactionRequestType.class);
    }

    private void soapAnswer(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        OpenedDocument document = exchange.getMessage().getMandatoryBody(OpenedDocument.class);
        GetTransactionResponseType answer;
        try {
            answer = soap.answer(soapRequest(exchange), document);
        } finally {
            document.content().close();
        }
        record(exchange, document.retrieval().routeTag(), RetrievalMetrics.OK, SoapGetTransaction.contentBytes(answer));
        exchange.getMessage().setBody(answer);
    }

    private void soapDenied(Exchange exchange) {
        RetrievalDenied denied = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RetrievalDenied.class);
        record(exchange, routeTag(exchange), RetrievalMetrics.DENIED, 0);
        exchange.getMessage().setBody(soap.refused(soapRequest(exchange), denied.decision().reason().name(),
                denied.decision().detail()));
    }

    private void soapFailed(Exchange exchange) {
        RetrievalFailure failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RetrievalFailure.class);
        record(exchange, routeTag(exchange), failure.reason().outcome(), 0);
        exchange.getMessage().setBody(soap.refused(soapRequest(exchange), failure.reason().name(), failure.getMessage()));
    }

    /** The route tag of a failed retrieval: the body is the retrieval as its last successful stage left it. */
    private static String routeTag(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return body instanceof Retrieval r ? r.routeTag() : body instanceof OpenedDocument d ? d.retrieval().routeTag()
                : "none";
    }

    private void record(Exchange exchange, String route, String outcome, long bytes) {
        long started = exchange.getProperty(STARTED, Long.class);
        metrics.record("soap", route, outcome, bytes, System.nanoTime() - started);
    }
}
