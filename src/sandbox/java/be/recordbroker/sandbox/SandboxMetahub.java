package be.recordbroker.sandbox;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.jws.WebService;

import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.Hub;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.metahub.v1.*;

/**
 * The sandbox eHealth metahub: which hubs know a patient (patient-hub links), and the patients' therapeutic
 * exclusions. A locator, not a router: no document passes through it.
 */
@WebService(serviceName = "MetaHubService", portName = "MetaHubPort",
        targetNamespace = "http://www.recordbroker.be/metahub/v1",
        endpointInterface = "be.recordbroker.metahub.v1.MetaHubPortType",
        wsdlLocation = "classpath:wsdl/metahub-v1.wsdl")
class SandboxMetahub implements MetaHubPortType {

    static final String METAHUB_EHP = "1990000000";

    private final SandboxNetwork network;
    private final SandboxWorld world;

    SandboxMetahub(SandboxNetwork network) {
        this.network = network;
        this.world = network.world();
    }

    private static HcpartyType self() {
        HcpartyType party = new HcpartyType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, METAHUB_EHP));
        party.getCd().add(Kmehr.cdHcparty("application"));
        party.setName("eHealth metahub (sandbox)");
        return party;
    }

    @Override
    public GetPatientHubLinksResponseType getPatientHubLinks(GetPatientHubLinksRequestType body) {
        GetPatientHubLinksResponseType out = new GetPatientHubLinksResponseType();
        out.setResponse(Kmehr.response(self(), body.getRequest(), OffsetDateTime.now()));
        Optional<String> ssin = body.getSelect() == null ? Optional.empty() : Kmehr.ssinOf(body.getSelect().getPatient());
        if (ssin.isEmpty()) {
            out.setAcknowledge(Kmehr.failed("invalid.request", "select/patient needs an INSS id"));
            return out;
        }
        PatientHubLinkListType list = new PatientHubLinkListType();
        for (Hub hub : network.hubs().values()) {
            if (world.hubsOf(ssin.get()).contains(hub.code())) {
                PatientHubLinkType link = new PatientHubLinkType();
                link.setPatient(Kmehr.patient(ssin.get()));
                link.setHcparty(Kmehr.hubParty(hub));
                list.getPatienthublink().add(link);
            }
        }
        out.setPatienthublinklist(list);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public PutPatientHubLinkResponseType putPatientHubLink(PutPatientHubLinkRequestType body) {
        PutPatientHubLinkResponseType out = new PutPatientHubLinkResponseType();
        out.setResponse(Kmehr.response(self(), body.getRequest(), OffsetDateTime.now()));
        PatientHubLinkType link = body.getPatienthublink();
        Optional<String> ssin = link == null ? Optional.empty() : Kmehr.ssinOf(link.getPatient());
        Optional<Hub> hub = link == null || link.getHcparty() == null ? Optional.empty()
                : Kmehr.idOf(link.getHcparty(), IDHCPARTYschemes.ID_HCPARTY)
                .flatMap(ehp -> network.hubs().values().stream().filter(h -> h.ehpId().equals(ehp)).findFirst());
        if (ssin.isEmpty() || hub.isEmpty()) {
            out.setAcknowledge(Kmehr.failed("invalid.request", "patienthublink needs a patient INSS and a known hub EHP id"));
            return out;
        }
        world.linkPatientToHub(ssin.get(), hub.get().code());
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public PutTherapeuticExclusionResponseType putTherapeuticExclusion(PutTherapeuticExclusionRequestType body) {
        PutTherapeuticExclusionResponseType out = new PutTherapeuticExclusionResponseType();
        out.setResponse(Kmehr.response(self(), body.getRequest(), OffsetDateTime.now()));
        Optional<SandboxWorld.Exclusion> exclusion = exclusion(body.getTherapeuticexclusion());
        if (exclusion.isEmpty()) {
            out.setAcknowledge(Kmehr.failed("invalid.request", "therapeuticexclusion needs a patient INSS and an hcparty NIHII"));
            return out;
        }
        world.putExclusion(exclusion.get());
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public GetTherapeuticExclusionResponseType getTherapeuticExclusion(GetTherapeuticExclusionRequestType body) {
        GetTherapeuticExclusionResponseType out = new GetTherapeuticExclusionResponseType();
        out.setResponse(Kmehr.response(self(), body.getRequest(), OffsetDateTime.now()));
        TherapeuticExclusionSelectType select = body.getSelect();
        Optional<String> ssin = select == null ? Optional.empty() : Kmehr.ssinOf(select.getPatient());
        if (ssin.isEmpty()) {
            out.setAcknowledge(Kmehr.failed("invalid.request", "select/patient needs an INSS id"));
            return out;
        }
        Optional<String> nihii = select.getHcparty() == null ? Optional.empty()
                : Kmehr.idOf(select.getHcparty(), IDHCPARTYschemes.ID_HCPARTY);
        TherapeuticExclusionListType list = new TherapeuticExclusionListType();
        world.exclusions(ssin.get()).stream()
                .filter(e -> nihii.isEmpty() || nihii.get().equals(e.professionalNihii()))
                .forEach(e -> {
                    TherapeuticExclusionType t = new TherapeuticExclusionType();
                    t.setPatient(Kmehr.patient(e.patient()));
                    HcpartyType party = new HcpartyType();
                    party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, e.professionalNihii()));
                    SandboxSeed.SeedProfessional p = network.professional(e.professionalNihii());
                    party.getCd().add(Kmehr.cdHcparty(p == null ? "persphysician" : p.profession()));
                    t.setHcparty(party);
                    list.getTherapeuticexclusion().add(t);
                });
        out.setTherapeuticexclusionlist(list);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public RevokeTherapeuticExclusionResponseType revokeTherapeuticExclusion(RevokeTherapeuticExclusionRequestType body) {
        RevokeTherapeuticExclusionResponseType out = new RevokeTherapeuticExclusionResponseType();
        out.setResponse(Kmehr.response(self(), body.getRequest(), OffsetDateTime.now()));
        Optional<SandboxWorld.Exclusion> exclusion = exclusion(body.getTherapeuticexclusion());
        if (exclusion.isEmpty()) {
            out.setAcknowledge(Kmehr.failed("invalid.request", "therapeuticexclusion needs a patient INSS and an hcparty NIHII"));
            return out;
        }
        out.setAcknowledge(world.revokeExclusion(exclusion.get()) ? Kmehr.complete()
                : Kmehr.failed("unknown.exclusion", "no such exclusion"));
        return out;
    }

    /** Who may act for whom (R8): the seed's registrations between the two citizens asked about, ended ones too. */
    @Override
    public GetRepresentationsResponseType getRepresentations(GetRepresentationsRequestType body) {
        GetRepresentationsResponseType out = new GetRepresentationsResponseType();
        out.setResponse(Kmehr.response(self(), body.getRequest(), OffsetDateTime.now()));
        SelectGetRepresentationsType select = body.getSelect();
        Optional<String> representative = select == null ? Optional.empty() : Kmehr.ssinOf(select.getRepresentative());
        Optional<String> patient = select == null ? Optional.empty() : Kmehr.ssinOf(select.getPatient());
        if (representative.isEmpty() || patient.isEmpty()) {
            out.setAcknowledge(Kmehr.failed("invalid.request", "select needs the representative's and the patient's INSS"));
            return out;
        }
        RepresentationListType list = new RepresentationListType();
        SandboxSeed seed = network.seed();
        if (seed.representations() != null) {
            seed.representations().stream()
                    .filter(r -> r.representative().equals(representative.get()) && r.patient().equals(patient.get()))
                    .forEach(r -> {
                        RepresentationType t = new RepresentationType();
                        t.setRepresentative(Kmehr.patient(r.representative()));
                        t.setPatient(Kmehr.patient(r.patient()));
                        t.setKind(RepresentationKindType.fromValue(r.kind()));
                        seed.patients().stream().filter(p -> p.ssin().equals(r.patient())).findFirst()
                                .ifPresent(p -> t.setPatientbirthdate(Kmehr.date(p.birthDate())));
                        t.setBegindate(Kmehr.date(r.beginDate()));
                        if (r.endDate() != null) {
                            t.setEnddate(Kmehr.date(r.endDate()));
                        }
                        list.getRepresentation().add(t);
                    });
        }
        out.setRepresentationlist(list);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    private static Optional<SandboxWorld.Exclusion> exclusion(TherapeuticExclusionType t) {
        if (t == null || t.getHcparty() == null) {
            return Optional.empty();
        }
        Optional<String> ssin = Kmehr.ssinOf(t.getPatient());
        Optional<String> nihii = Kmehr.idOf(t.getHcparty(), IDHCPARTYschemes.ID_HCPARTY);
        return ssin.isPresent() && nihii.isPresent()
                ? Optional.of(new SandboxWorld.Exclusion(ssin.get(), nihii.get())) : Optional.empty();
    }
}
