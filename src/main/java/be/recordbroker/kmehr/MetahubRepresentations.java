package be.recordbroker.kmehr;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.xml.ws.WebServiceException;

import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.access.FactUnavailableException;
import be.recordbroker.access.RepresentationFact;
import be.recordbroker.access.RepresentationFacts;
import be.recordbroker.metahub.v1.GetRepresentationsRequestType;
import be.recordbroker.metahub.v1.GetRepresentationsResponseType;
import be.recordbroker.metahub.v1.RepresentationKindType;
import be.recordbroker.metahub.v1.RepresentationType;
import be.recordbroker.metahub.v1.SelectGetRepresentationsType;

/**
 * Asks the metahub who may act for whom (GetRepresentations, docs/domain.md R8): the registrations of one citizen for another,
 * as facts (kind, the child's birth date, the mandate's dates); {@code Representatives} applies the rules.
 */
public class MetahubRepresentations implements RepresentationFacts {

    private final HubClients clients;
    private final HcpartyType requester;
    private final Clock clock;

    public MetahubRepresentations(HubClients clients, HcpartyType requester, Clock clock) {
        this.clients = clients;
        this.requester = requester;
        this.clock = clock;
    }

    /** @throws FactUnavailableException when the metahub cannot be reached or refuses: the gate then denies */
    @Override
    public List<RepresentationFact> representations(String representativeSsin, String patientSsin) {
        GetRepresentationsRequestType request = new GetRepresentationsRequestType();
        request.setRequest(Kmehr.request(requester, OffsetDateTime.now(clock)));
        SelectGetRepresentationsType select = new SelectGetRepresentationsType();
        select.setRepresentative(Kmehr.patient(representativeSsin));
        select.setPatient(Kmehr.patient(patientSsin));
        request.setSelect(select);
        GetRepresentationsResponseType response;
        try {
            response = clients.metahub().getRepresentations(request);
        } catch (WebServiceException e) {
            throw new FactUnavailableException("the metahub cannot be asked for representations ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (response == null || response.getAcknowledge() == null || !response.getAcknowledge().isIscomplete()) {
            throw new FactUnavailableException("the metahub refused the representations question", null);
        }
        List<RepresentationFact> facts = new ArrayList<>();
        if (response.getRepresentationlist() != null) {
            for (RepresentationType r : response.getRepresentationlist().getRepresentation()) {
                // only what was asked: the two citizens, in this direction
                if (r.getKind() == null || r.getBegindate() == null
                        || !Kmehr.ssinOf(r.getRepresentative()).map(representativeSsin::equals).orElse(false)
                        || !Kmehr.ssinOf(r.getPatient()).map(patientSsin::equals).orElse(false)) {
                    continue;
                }
                facts.add(new RepresentationFact(r.getKind() == RepresentationKindType.PARENT
                        ? RepresentationFact.Kind.PARENT : RepresentationFact.Kind.MANDATARY,
                        r.getPatientbirthdate() == null ? null : Kmehr.localDate(r.getPatientbirthdate()),
                        Kmehr.localDate(r.getBegindate()),
                        r.getEnddate() == null ? null : Kmehr.localDate(r.getEnddate())));
            }
        }
        return facts;
    }
}
