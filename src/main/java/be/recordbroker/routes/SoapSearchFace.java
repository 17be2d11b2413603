package be.recordbroker.routes;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.cxf.binding.soap.SoapFault;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.admission.Admission;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.kmehr.BrokerParty;
import be.recordbroker.soap.SoapCallers;
import be.recordbroker.soap.SoapInput;
import be.recordbroker.soap.TransactionListSoap;

/**
 * The SOAP face of the search (IntraHub GetTransactionList): {@link #identify} reads the acting professional and
 * checks the request before the gate (a SOAP fault, no audit row); refusals and the page as GetTransactionList
 * answers; overload as a fault ("OVERLOADED: ...": SOAP 1.1 answers every fault with HTTP 500).
 */
@Component
class SoapSearchFace implements SearchRequest.Face {

    private final Clock clock;
    private final NihiiValidation nihiiValidation;
    private final HcpartyType self;
    private final DocumentIdCodec documentIds;

    SoapSearchFace(Clock clock, BrokerParty self,
                   @Value("${record-broker.nihii-validation:lenient}") String nihiiValidation,
                   DocumentIdCodec documentIds) {
        this.clock = clock;
        this.nihiiValidation = NihiiValidation.valueOf(nihiiValidation.toUpperCase(Locale.ROOT));
        this.self = self.hcparty();
        this.documentIds = documentIds;
    }

    @Override
    public String name() {
        return "soap";
    }

    /** identify: the acting professional and the request's filters, checked before the gate. */
    public void identify(Exchange exchange) {
        GetTransactionListRequestType request = exchange.getMessage().getBody(GetTransactionListRequestType.class);
        if (request == null) {
            throw new SoapFault("GetTransactionList needs a request body", SoapFault.FAULT_CODE_CLIENT);
        }
        try {
            SoapInput.check(request);
        } catch (InputRules.InvalidInputException e) {
            throw SoapInput.fault(e);
        }
        exchange.getMessage().setBody(new SearchRequest(this,
                SoapCallers.actingPerson(request.getRequest(), nihiiValidation).orElse(null),
                TransactionListSoap.patientOf(request), TransactionListSoap.typesOf(request),
                TransactionListSoap.fromOf(request), TransactionListSoap.toOf(request),
                TransactionListSoap.scopeOf(request), TransactionListSoap.pageOf(request),
                TransactionListSoap.pageSizeOf(request), TransactionListSoap.breakTheGlassOf(request),
                SoapCallers.requestIdOf(request.getRequest()), SoapCallers.clientOf(exchange),
                OffsetDateTime.now(clock), request));
    }

    @Override
    public void deny(Exchange exchange, SearchRequest request, AccessDecision decision) {
        exchange.getMessage().setBody(TransactionListSoap.denied(original(request), self, decision, request.received));
    }

    @Override
    public void invalid(Exchange exchange, SearchRequest request, IllegalArgumentException e) {
        exchange.getMessage().setBody(TransactionListSoap.failed(original(request), self, "invalid.request",
                e.getMessage(), request.received));
    }

    @Override
    public void overloaded(Exchange exchange, SearchRequest request, Admission.Overloaded e) {
        throw new be.recordbroker.soap.OverloadedFault(e, request.requestId);
    }

    /** answer: the page as a GetTransactionList answer (the ids sealed). */
    @Override
    public void answer(Exchange exchange, SearchRequest request) {
        exchange.getMessage().setBody(TransactionListSoap.answer(original(request), self, request.found,
                request.received, documentIds));
    }

    private static GetTransactionListRequestType original(SearchRequest request) {
        return (GetTransactionListRequestType) request.original;
    }
}
