package be.recordbroker.kmehr;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.xml.ws.WebServiceException;

import be.fgov.ehealth.hubservices.core.v3.AccessRightType;
import be.fgov.ehealth.hubservices.core.v3.AcknowledgeType;
import be.fgov.ehealth.hubservices.core.v3.ConsentType;
import be.fgov.ehealth.hubservices.core.v3.GetAccessRightRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetAccessRightResponseType;
import be.fgov.ehealth.hubservices.core.v3.GetPatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetPatientConsentResponseType;
import be.fgov.ehealth.hubservices.core.v3.GetTherapeuticLinkRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTherapeuticLinkResponseType;
import be.fgov.ehealth.hubservices.core.v3.HCPartyIdType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetAccessRightType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetHCPartyPatientConsentType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetPatientConsentType;
import be.fgov.ehealth.hubservices.core.v3.TherapeuticLinkType;
import be.fgov.ehealth.hubservices.core.v3.TransactionIdType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTvalues;
import be.fgov.ehealth.standards.kmehr.schema.v1.ErrorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.recordbroker.access.AccessFacts;
import be.recordbroker.access.ConsentFact;
import be.recordbroker.access.DocumentRef;
import be.recordbroker.access.FactUnavailableException;
import be.recordbroker.access.TherapeuticLinkFact;
import be.recordbroker.metahub.v1.GetTherapeuticExclusionRequestType;
import be.recordbroker.metahub.v1.GetTherapeuticExclusionResponseType;
import be.recordbroker.metahub.v1.TherapeuticExclusionSelectType;

/**
 * The access gate's facts, asked of the network through the hub client: consent and therapeutic links (national
 * registries that every hub relays) of the first configured hub that answers — a hub that cannot be reached is
 * skipped, a hub that answers is believed; exclusions of the metahub; access rights of the hub that holds the
 * document. Whatever cannot be fetched throws {@link FactUnavailableException}.
 */
public class HubAccessFacts implements AccessFacts {

    private final HubClients clients;
    private final List<String> factHubs;
    private final HcpartyType requester;
    private final Clock clock;

    /**
     * @param factHubs  hub codes asked for consent and links, in order
     * @param requester the broker as the author of its requests
     */
    public HubAccessFacts(HubClients clients, List<String> factHubs, HcpartyType requester, Clock clock) {
        if (factHubs.isEmpty()) {
            throw new IllegalArgumentException("at least one hub must be asked for consents and therapeutic links");
        }
        this.clients = clients;
        this.factHubs = List.copyOf(factHubs);
        this.requester = requester;
        this.clock = clock;
    }

    @Override
    public Optional<ConsentFact> consent(String patientSsin) {
        GetPatientConsentRequestType request = new GetPatientConsentRequestType();
        request.setRequest(Kmehr.request(requester, OffsetDateTime.now(clock)));
        SelectGetPatientConsentType select = new SelectGetPatientConsentType();
        select.setPatient(Kmehr.patient(patientSsin));
        request.setSelect(select);
        GetPatientConsentResponseType response = askFactHubs("consent",
                hub -> clients.hub(hub).getPatientConsent(request), GetPatientConsentResponseType::getAcknowledge);
        ConsentType consent = response.getConsent();
        if (consent == null || consent.getSigndate() == null) {
            return Optional.empty();
        }
        return Optional.of(new ConsentFact(Kmehr.localDate(consent.getSigndate()),
                Kmehr.localDate(consent.getRevokedate())));
    }

    @Override
    public List<TherapeuticLinkFact> therapeuticLinks(String patientSsin, String professionalNihii) {
        GetTherapeuticLinkRequestType request = new GetTherapeuticLinkRequestType();
        request.setRequest(Kmehr.request(requester, OffsetDateTime.now(clock)));
        SelectGetHCPartyPatientConsentType select = new SelectGetHCPartyPatientConsentType();
        select.getPatientOrHcparty().add(Kmehr.patient(patientSsin));
        HCPartyIdType professional = new HCPartyIdType();
        professional.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, professionalNihii));
        select.getPatientOrHcparty().add(professional);
        request.setSelect(select);
        GetTherapeuticLinkResponseType response = askFactHubs("therapeutic links",
                hub -> clients.hub(hub).getTherapeuticLink(request), GetTherapeuticLinkResponseType::getAcknowledge);
        List<TherapeuticLinkFact> links = new ArrayList<>();
        if (response.getTherapeuticlinklist() != null) {
            for (TherapeuticLinkType link : response.getTherapeuticlinklist().getTherapeuticlink()) {
                // A hub answering about other professionals than the one asked would be a hub bug: count only his.
                boolean his = link.getHcparty() != null && link.getHcparty().getId().stream()
                        .anyMatch(id -> id.getS() == IDHCPARTYschemes.ID_HCPARTY && professionalNihii.equals(id.getValue()));
                if (his && link.getCd() != null && link.getStartdate() != null) {
                    links.add(new TherapeuticLinkFact(link.getCd().getValue(), Kmehr.localDate(link.getStartdate()),
                            Kmehr.localDate(link.getEnddate())));
                }
            }
        }
        return links;
    }

    @Override
    public boolean excluded(String patientSsin, String professionalNihii) {
        GetTherapeuticExclusionRequestType request = new GetTherapeuticExclusionRequestType();
        request.setRequest(Kmehr.request(requester, OffsetDateTime.now(clock)));
        TherapeuticExclusionSelectType select = new TherapeuticExclusionSelectType();
        select.setPatient(Kmehr.patient(patientSsin));
        select.setHcparty(Kmehr.professionalParty(professionalNihii, null, "persphysician", null, null));
        request.setSelect(select);
        GetTherapeuticExclusionResponseType response = ask("exclusions", "the metahub",
                () -> clients.metahub().getTherapeuticExclusion(request), GetTherapeuticExclusionResponseType::getAcknowledge);
        return response.getTherapeuticexclusionlist() != null
                && response.getTherapeuticexclusionlist().getTherapeuticexclusion().stream()
                .anyMatch(e -> e.getHcparty() != null
                        && Kmehr.idOf(e.getHcparty(), IDHCPARTYschemes.ID_HCPARTY).filter(professionalNihii::equals).isPresent());
    }

    @Override
    public boolean disallowed(DocumentRef document, String professionalNihii) {
        GetAccessRightRequestType request = new GetAccessRightRequestType();
        request.setRequest(Kmehr.request(requester, OffsetDateTime.now(clock)));
        SelectGetAccessRightType select = new SelectGetAccessRightType();
        TransactionIdType transaction = new TransactionIdType();
        transaction.getId().add(Kmehr.localId(document.sourceLabel(), document.localId()));
        select.setTransaction(transaction);
        request.setSelect(select);
        GetAccessRightResponseType response = ask("access rights", "hub " + document.hub(),
                () -> clients.hub(document.hub()).getAccessRight(request), GetAccessRightResponseType::getAcknowledge);
        if (response.getAccessrightlist() == null) {
            return false;
        }
        for (AccessRightType right : response.getAccessrightlist().getAccessright()) {
            boolean his = right.getHcparty() != null && right.getHcparty().getId().stream()
                    .anyMatch(id -> id.getS() == IDHCPARTYschemes.ID_HCPARTY && professionalNihii.equals(id.getValue()));
            if (his && right.getCd() != null && right.getCd().getValue() == CDACCESSRIGHTvalues.DISALLOW) {
                return true;
            }
        }
        return false;
    }

    /** Asks the fact hubs in order; moves on only when a hub cannot be reached (an answer, even an error, stops). */
    private <R> R askFactHubs(String fact, Function<String, R> call, Function<R, AcknowledgeType> ack) {
        FactUnavailableException last = null;
        for (String hub : factHubs) {
            R response;
            try {
                response = call.apply(hub);
            } catch (WebServiceException | HubClients.UnknownHubException e) {
                last = new FactUnavailableException(fact + " could not be fetched from hub " + hub + ": "
                        + e.getClass().getSimpleName(), e);
                continue;
            }
            return checked(fact, "hub " + hub, response, ack);
        }
        throw last;
    }

    private static <R> R ask(String fact, String who, java.util.function.Supplier<R> call,
                             Function<R, AcknowledgeType> ack) {
        R response;
        try {
            response = call.get();
        } catch (WebServiceException e) {
            throw new FactUnavailableException(fact + " could not be fetched from " + who + ": "
                    + e.getClass().getSimpleName(), e);
        }
        return checked(fact, who, response, ack);
    }

    private static <R> R checked(String fact, String who, R response, Function<R, AcknowledgeType> ack) {
        AcknowledgeType acknowledge = response == null ? null : ack.apply(response);
        if (acknowledge == null || !acknowledge.isIscomplete()) {
            throw new FactUnavailableException(fact + ": " + who + " answered with an error"
                    + (acknowledge == null ? "" : errorCode(acknowledge.getError())), null);
        }
        return response;
    }

    private static String errorCode(List<ErrorType> errors) {
        return errors.isEmpty() || errors.get(0).getCd().isEmpty() ? "" : " (" + errors.get(0).getCd().get(0).getValue() + ")";
    }
}
