package be.recordbroker.fhir;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;

import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;

/**
 * The FHIR R4 face at {@code /fhir}: HAPI FHIR's plain server with the MHD Document Responder's ITI-67 search
 * ({@link DocumentReferenceProvider}) and the patient's audit trail ({@link AuditEventProvider}); ITI-68 is
 * {@link FhirDocumentServlet} below {@code /fhir/documents/}. Spring Security has verified the bearer token before a
 * request reaches it (SecurityConfiguration covers {@code /fhir/**}). Every error leaves as an OperationOutcome with a
 * reason code and the request id ({@link Errors}); the request id is the broker's ({@code X-Request-Id}).
 */
public class FhirServer extends RestfulServer {

    private static final Logger LOG = LoggerFactory.getLogger(FhirServer.class);

    /** IHE MHD's Document Responder CapabilityStatement, which this server instantiates. */
    public static final String MHD_DOCUMENT_RESPONDER =
            "https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentResponder";

    public FhirServer(FhirContext fhir, List<ca.uhn.fhir.rest.server.IResourceProvider> providers) {
        super(fhir);
        setResourceProviders(providers);
        setDefaultResponseEncoding(EncodingEnum.JSON);
        registerInterceptor(new Errors());
        registerInterceptor(new Capabilities());
    }

    /** The broker's request id: the caller's {@code X-Request-Id} when sane, else a new one (as on REST). */
    @Override
    protected String getOrCreateRequestId(HttpServletRequest request) {
        return RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER));
    }

    @Override
    protected void addRequestIdToResponse(ServletRequestDetails details, String requestId) {
        details.getServletResponse().setHeader(Problems.REQUEST_ID_HEADER, requestId);
    }

    /** Every error as a refusal with a reason code; an unexpected exception says nothing but its request id. */
    public static final class Errors {

        @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
        public BaseServerResponseException outgoing(RequestDetails details, Throwable failure) {
            if (failure instanceof FhirOutcomes.Refusal refusal) {
                return refusal;
            }
            String requestId = details.getRequestId();
            if (failure instanceof BaseServerResponseException hapi) {
                int status = hapi.getStatusCode();
                return FhirOutcomes.refusal(status, reason(status), hapi.getMessage(), requestId);
            }
            LOG.error("FHIR request {} failed: {}", requestId, failure.getClass().getName());
            return FhirOutcomes.refusal(500, "INTERNAL_ERROR", "the request failed; request id " + requestId,
                    requestId);
        }

        static String reason(int status) {
            return switch (status) {
                case 400, 412, 422 -> "INVALID_PARAMETER";
                case 404 -> "NOT_FOUND";
                case 405 -> "METHOD_NOT_ALLOWED";
                case 406, 415 -> "UNSUPPORTED_FORMAT";
                default -> status >= 500 ? "INTERNAL_ERROR" : "INVALID_REQUEST";
            };
        }
    }

    /** The generated CapabilityStatement, with what HAPI cannot know: the MHD claim and ITI-68. */
    public static final class Capabilities {

        @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
        public void capabilities(IBaseConformance generated) {
            CapabilityStatement statement = (CapabilityStatement) generated;
            statement.setName("RecordBrokerFhirFace");
            statement.setTitle("record-broker FHIR R4 face: IHE MHD Document Responder");
            statement.addInstantiates(MHD_DOCUMENT_RESPONDER);
            statement.getSoftware().setName("record-broker");
            statement.getImplementation().setDescription("record-broker: federated search (ITI-67) across the Belgian"
                    + " hubs and retrieval (ITI-68) from each document's original source; the patient's audit trail"
                    + " as AuditEvent");
            statement.getFormat().clear();
            statement.addFormat("application/fhir+json");
            statement.addFormat("application/fhir+xml");
            statement.addFormat("json");
            statement.addFormat("xml");
            CapabilityStatement.CapabilityStatementRestComponent rest = statement.getRestFirstRep();
            rest.setDocumentation("ITI-67: GET or POST DocumentReference/_search with patient.identifier="
                    + DocumentReferences.SSIN_SYSTEM + "|<ssin>; ITI-68: GET the DocumentReference's"
                    + " content.attachment.url (under " + DocumentReferences.DOCUMENTS_PATH.substring(1)
                    + "), the document's bytes with its own media type. Bearer tokens on every request.");
            rest.getSecurity().setCors(false).setDescription("OAuth2 bearer JWT (Authorization: Bearer ...)")
                    .addService().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                    .setCode("OAuth").setDisplay("OAuth");
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                if ("DocumentReference".equals(resource.getType())) {
                    resource.setDocumentation("ITI-67 Find Document References; the attachment URL is ITI-68");
                } else if ("AuditEvent".equals(resource.getType())) {
                    resource.setDocumentation("the patient's audit trail (the patient and his representatives only)");
                }
            }
        }
    }
}
