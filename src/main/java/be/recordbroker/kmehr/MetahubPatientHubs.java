package be.recordbroker.kmehr;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.xml.ws.WebServiceException;

import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.metahub.v1.GetPatientHubLinksRequestType;
import be.recordbroker.metahub.v1.GetPatientHubLinksResponseType;
import be.recordbroker.metahub.v1.SelectGetPatientHubLinksType;

/** Asks the metahub which hubs know a patient (GetPatientHubLinks): their EHP ids. */
public class MetahubPatientHubs {

    private final HubClients clients;
    private final HcpartyType requester;
    private final Clock clock;

    public MetahubPatientHubs(HubClients clients, HcpartyType requester, Clock clock) {
        this.clients = clients;
        this.requester = requester;
        this.clock = clock;
    }

    /** @throws HubCallException when the metahub cannot be reached or answers with an error */
    public Set<String> hubsOf(String patientSsin) {
        GetPatientHubLinksRequestType request = new GetPatientHubLinksRequestType();
        request.setRequest(Kmehr.request(requester, OffsetDateTime.now(clock)));
        SelectGetPatientHubLinksType select = new SelectGetPatientHubLinksType();
        select.setPatient(Kmehr.patient(patientSsin));
        request.setSelect(select);
        GetPatientHubLinksResponseType response;
        try {
            response = clients.metahub().getPatientHubLinks(request);
        } catch (WebServiceException e) {
            throw new HubCallException("metahub", false, "GetPatientHubLinks failed: " + e.getClass().getSimpleName(), e);
        }
        if (response == null || response.getAcknowledge() == null || !response.getAcknowledge().isIscomplete()) {
            throw new HubCallException("metahub", true, "GetPatientHubLinks refused by the metahub", null);
        }
        Set<String> ehpIds = new LinkedHashSet<>();
        if (response.getPatienthublinklist() != null) {
            response.getPatienthublinklist().getPatienthublink().forEach(link -> {
                if (link.getHcparty() != null) {
                    Kmehr.idOf(link.getHcparty(), IDHCPARTYschemes.ID_HCPARTY).ifPresent(ehpIds::add);
                }
            });
        }
        return ehpIds;
    }
}
