package be.recordbroker.soap;

import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.cxf.binding.soap.SoapFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessAuditor;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.security.SoapCallerRegistry;

/**
 * First step of every SOAP operation: names the authenticated caller on the exchange ({@link SoapCallers#CLIENT_PROPERTY},
 * written to every audit row) and refuses a request whose {@code author/hcparty} the caller may not speak for: a SOAP
 * fault {@code CALLER_NOT_ALLOWED}, and an audit row in the patient's trail naming the person claimed and the caller.
 * A request naming nobody goes on: the gate answers it UNAUTHENTICATED.
 */
public final class SoapCallerCheck implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SoapCallerCheck.class);
    private static final String UNKNOWN = "unknown";

    private final SoapCallerRegistry callers;
    private final AccessAuditor auditor;
    private final NihiiValidation nihiiValidation;
    private final Clock clock;

    public SoapCallerCheck(SoapCallerRegistry callers, AccessAuditor auditor, NihiiValidation nihiiValidation,
                           Clock clock) {
        this.callers = callers;
        this.auditor = auditor;
        this.nihiiValidation = nihiiValidation;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        String client = SoapCallers.clientOf(exchange);
        if (client != null) {
            exchange.setProperty(SoapCallers.CLIENT_PROPERTY, client);
        }
        Object body = bodyOf(exchange);
        RequestType request = requestOf(body);
        Optional<Professional> acting = SoapCallers.actingPerson(request, nihiiValidation);
        if (acting.isEmpty() || callers.speaksFor(client, request, acting.get())) {
            return;
        }
        String requestId = SoapCallers.requestIdOf(request);
        AccessDecision refused = AccessDecision.deny(AccessReason.CALLER_NOT_ALLOWED,
                "the calling software may not speak for this person");
        AccessRequest access = new AccessRequest(acting.get(), patientOf(body), actionOf(body), documentOf(body),
                null, null, "soap", requestId, clock.instant(), client);
        try {
            auditor.record(access, refused);
        } catch (RuntimeException e) {
            LOG.error("audit write failed for refused SOAP request {} ({})", requestId, e.getClass().getSimpleName());
        }
        LOG.warn("SOAP request {} refused: caller {} may not speak for the request's author", requestId, client);
        throw new SoapFault("CALLER_NOT_ALLOWED: the calling software may not speak for this person",
                SoapFault.FAULT_CODE_CLIENT);
    }

    /** The operation's request object, converted as the operation's own route does. */
    private static Object bodyOf(Exchange exchange) {
        String operation = exchange.getMessage().getHeader(org.apache.camel.component.cxf.common.message.CxfConstants.OPERATION_NAME, String.class);
        Class<?> type = operation == null ? null : switch (operation) {
            case "GetPatientAuditTrail" -> GetPatientAuditTrailRequestType.class;
            case "GetTransactionList" -> GetTransactionListRequestType.class;
            case "GetTransaction" -> GetTransactionRequestType.class;
            default -> null;
        };
        try {
            return type == null ? null : exchange.getMessage().getBody(type);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static RequestType requestOf(Object body) {
        if (body == null) {
            return null;
        }
        try {
            Method getter = body.getClass().getMethod("getRequest");
            Object request = getter.invoke(body);
            return request instanceof RequestType r ? r : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static String patientOf(Object body) {
        String ssin = null;
        try {
            if (body instanceof GetPatientAuditTrailRequestType r) {
                ssin = AuditTrailSoap.patientOf(r);
            } else if (body instanceof GetTransactionListRequestType r) {
                ssin = TransactionListSoap.patientOf(r);
            } else if (body instanceof GetTransactionRequestType r && r.getSelect() != null) {
                ssin = Kmehr.ssinOf(r.getSelect().getPatient()).orElse(null);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return ssin != null && Ssin.isValid(ssin) ? Ssin.parse(ssin).value() : null;
    }

    private static AccessAction actionOf(Object body) {
        if (body instanceof GetPatientAuditTrailRequestType) {
            return AccessAction.AUDIT_TRAIL;
        }
        return body instanceof GetTransactionRequestType ? AccessAction.READ : AccessAction.SEARCH;
    }

    private static DocumentRef documentOf(Object body) {
        // the document is not looked up for a refused caller: the row says a read was refused, not of what
        return body instanceof GetTransactionRequestType ? new DocumentRef(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, null)
                : null;
    }
}
