package be.recordbroker.retrieve;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.OffsetDateTime;

import jakarta.xml.ws.WebServiceException;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionResponseType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionType;
import be.fgov.ehealth.hubservices.core.v3.TransactionBaseType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.network.Hospital;

/**
 * IntraHub GetTransaction as a client: at a connected hospital's KMEHR document source, or at the document's hub,
 * which relays to a hospital the broker is not connected to. The answer is a whole KMEHR message (the SOAP stack holds
 * it in memory; see docs/retrieval.md). The request names the acting person, as every hub call made on a caller's
 * behalf does, so the hub's own audit trail shows who read the document.
 */
public class KmehrDocumentSource {

    /** The error codes hubs use for "no such transaction" (the sandbox's and the IntraHub cookbook's). */
    private static final java.util.Set<String> UNKNOWN = java.util.Set.of("unknown.transaction", "UNKNOWN_TRANSACTION");

    private final HubClients clients;
    private final Clock clock;

    public KmehrDocumentSource(HubClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    public KmehrContent fromSource(Hospital hospital, DocumentId id, HcpartyType author, String breakTheGlass) {
        return fetch(clients.documentSource(hospital), "the document source of " + hospital.facilityId(),
                SourceRoute.SOAP_SOURCE, id, author, breakTheGlass);
    }

    public KmehrContent fromHub(String hubCode, DocumentId id, HcpartyType author, String breakTheGlass) {
        return fetch(clients.hub(hubCode), "hub " + hubCode, SourceRoute.HUB_RELAY, id, author, breakTheGlass);
    }

    private KmehrContent fetch(IntraHubPortType port, String who, SourceRoute route, DocumentId id, HcpartyType author,
                               String breakTheGlass) {
        GetTransactionRequestType request = new GetTransactionRequestType();
        RequestType header = Kmehr.request(author, OffsetDateTime.now(clock));
        header.setBreaktheglass(breakTheGlass);
        request.setRequest(header);
        SelectGetTransactionType select = new SelectGetTransactionType();
        select.setPatient(Kmehr.patient(id.patientSsin()));
        TransactionBaseType transaction = new TransactionBaseType();
        transaction.setId(Kmehr.localId(id.sourceLabel(), id.localId()));
        select.setTransaction(transaction);
        request.setSelect(select);

        GetTransactionResponseType response;
        try {
            response = port.getTransaction(request);
        } catch (WebServiceException e) {
            if (timedOut(e)) {
                throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_TIMEOUT, who + " did not answer GetTransaction in time");
            }
            throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE,
                    who + " failed GetTransaction (" + e.getClass().getSimpleName() + ")");
        }
        if (response == null || response.getAcknowledge() == null || !response.getAcknowledge().isIscomplete()) {
            String code = errorCode(response);
            if (UNKNOWN.contains(code)) {
                throw new RetrievalFailure(RetrievalFailure.Reason.UNKNOWN_DOCUMENT, who + " does not hold the document");
            }
            throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE,
                    who + " could not deliver the document (" + code + ")");
        }
        if (response.getKmehrmessage() == null) {
            throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE, who + " answered without a KMEHR message");
        }
        return new KmehrContent(route, response.getKmehrmessage());
    }

    private static String errorCode(GetTransactionResponseType response) {
        if (response == null || response.getAcknowledge() == null || response.getAcknowledge().getError().isEmpty()
                || response.getAcknowledge().getError().get(0).getCd().isEmpty()) {
            return "no error given";
        }
        return response.getAcknowledge().getError().get(0).getCd().get(0).getValue();
    }

    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
