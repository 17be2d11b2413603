package be.recordbroker.sandbox;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.jws.WebService;

import be.fgov.ehealth.hubservices.core.v3.*;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINK;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINKschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTION;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTIONschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTY;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHR;
import be.fgov.ehealth.standards.kmehr.schema.v1.AuthorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.fgov.ehealth.standards.kmehr.schema.v1.TransactionType;
import be.recordbroker.domain.Hub;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.kmehr.KmehrMessages;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.sandbox.SandboxWorld.AccessRight;
import be.recordbroker.sandbox.SandboxWorld.AuditEntry;
import be.recordbroker.sandbox.SandboxWorld.Consent;
import be.recordbroker.sandbox.SandboxWorld.Status;
import be.recordbroker.sandbox.SandboxWorld.StoredDocument;
import be.recordbroker.sandbox.SandboxWorld.TherapeuticLink;

/**
 * One sandbox regional hub serving the IntraHub v3 contract over SOAP. It indexes transactions (declared by reference
 * or put whole), keeps consents, therapeutic links, access rights and its own audit trail, and answers GetTransaction
 * for a declared document by relaying to the hospital that holds it, as real hubs do. Business errors come back as
 * {@code acknowledge/iscomplete=false} with a KMEHR error, not as SOAP faults.
 */
@WebService(serviceName = "IntraHubService", portName = "IntraHubPort",
        targetNamespace = "http://www.ehealth.fgov.be/hubservices/protocol/v3",
        endpointInterface = "be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType",
        wsdlLocation = "classpath:wsdl/intrahub-v3.wsdl")
class SandboxHub implements IntraHubPortType {

    static final String INVALID_REQUEST = "invalid.request";
    static final String UNKNOWN_TRANSACTION = "unknown.transaction";
    static final String SOURCE_UNAVAILABLE = "source.unavailable";

    private final Hub hub;
    private final SandboxNetwork network;
    private final SandboxWorld world;
    private final Clock clock;
    private final LocalServerAddress addresses;
    private final org.apache.cxf.annotations.SchemaValidation.SchemaValidationType validation;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final SandboxFaults faults;

    SandboxHub(Hub hub, SandboxNetwork network, Clock clock, LocalServerAddress addresses,
               org.apache.cxf.annotations.SchemaValidation.SchemaValidationType validation, SandboxFaults faults) {
        this.faults = faults;
        this.validation = validation;
        this.hub = hub;
        this.network = network;
        this.world = network.world();
        this.clock = clock;
        this.addresses = addresses;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    private ResponseType response(RequestType request) {
        return Kmehr.response(Kmehr.hubParty(hub), request, now());
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public GetTransactionListResponseType getTransactionList(GetTransactionListRequestType body) {
        GetTransactionListResponseType out = new GetTransactionListResponseType();
        RequestListType request = body.getRequest();
        out.setResponse(Kmehr.responseList(Kmehr.hubParty(hub), request, now()));
        Optional<String> ssin = body.getSelect() == null ? Optional.empty() : Kmehr.ssinOf(body.getSelect().getPatient());
        if (ssin.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "select/patient must carry the patient's INSS"));
            return out;
        }
        TransactionWithPeriodType criteria = body.getSelect().getTransaction();
        Set<String> types = criteria == null ? Set.of() : criteria.getCd().stream()
                .filter(cd -> cd.getS() == CDTRANSACTIONschemes.CD_TRANSACTION).map(CDTRANSACTION::getValue)
                .collect(Collectors.toSet());
        LocalDate from = criteria == null ? null : Kmehr.localDate(criteria.getBegindate());
        LocalDate to = criteria == null ? null : Kmehr.localDate(criteria.getEnddate());
        Predicate<StoredDocument> match = d -> d.patient().equals(ssin.get()) && d.status() == Status.AVAILABLE
                && (types.isEmpty() || types.contains(d.type()))
                && (from == null || !d.dateTime().toLocalDate().isBefore(from))
                && (to == null || !d.dateTime().toLocalDate().isAfter(to));
        List<StoredDocument> found = world.documents(hub.code(), match).stream()
                .sorted(Comparator.comparing(StoredDocument::dateTime).reversed()
                        .thenComparing(StoredDocument::localId))
                .toList();
        int pageSize = request != null && request.getMaxrows() != null ? request.getMaxrows().intValue() : found.size();
        int index = request != null && request.getPaginationinfo() != null ? request.getPaginationinfo().getIndex() : 0;
        List<StoredDocument> page = found.stream().skip((long) Math.max(0, index) * Math.max(1, pageSize))
                .limit(Math.max(1, pageSize)).toList();
        if (request != null && request.getMaxrows() != null) {
            Paginationresponseinfo info = new Paginationresponseinfo();
            info.setPagesize(pageSize);
            info.setTotalrecordcount(found.size());
            out.getResponse().setPaginationinfo(info);
        }
        if (!page.isEmpty()) {
            FolderTypeUnbounded folder = new FolderTypeUnbounded();
            folder.setPatient(person(ssin.get()));
            page.forEach(d -> folder.getTransaction().add(summary(d)));
            KmehrHeaderGetTransactionListType header = new KmehrHeaderGetTransactionListType();
            header.setFolder(folder);
            out.setKmehrheader(header);
        }
        audit(request, ssin.get(), null, null);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public GetTransactionResponseType getTransaction(GetTransactionRequestType body) {
        GetTransactionResponseType out = new GetTransactionResponseType();
        out.setResponse(response(body.getRequest()));
        Optional<StoredDocument> document = findDocument(body.getSelect() == null ? null : body.getSelect().getTransaction());
        if (document.isEmpty() || document.get().status() != Status.AVAILABLE) {
            out.setAcknowledge(Kmehr.failed(UNKNOWN_TRANSACTION, "no such transaction at hub " + hub.code()));
            return out;
        }
        StoredDocument d = document.get();
        Optional<String> ssin = body.getSelect().getPatient() == null ? Optional.empty()
                : Kmehr.ssinOf(body.getSelect().getPatient());
        if (ssin.isPresent() && !ssin.get().equals(d.patient())) {
            out.setAcknowledge(Kmehr.failed(UNKNOWN_TRANSACTION, "the transaction does not belong to that patient"));
            return out;
        }
        try {
            out.setKmehrmessage(kmehrOf(d));
        } catch (RuntimeException e) {
            out.setAcknowledge(Kmehr.failed(SOURCE_UNAVAILABLE,
                    "the source hospital did not deliver the document: " + e.getMessage()));
            return out;
        }
        audit(body.getRequest(), d.patient(), d.localId(), d.type());
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public DeclareTransactionResponseType declareTransaction(DeclareTransactionRequestType body) {
        DeclareTransactionResponseType out = new DeclareTransactionResponseType();
        out.setResponse(response(body.getRequest()));
        if (faults.of(hub.code()).rejectsDeclarations()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "this hub refuses declarations (sandbox fault)"));
            return out;
        }
        be.fgov.ehealth.hubservices.core.v3.FolderType folder =
                body.getKmehrheader() == null ? null : body.getKmehrheader().getFolder();
        if (folder == null || folder.getTransaction() == null || Kmehr.ssinOf(folder.getPatient()).isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "kmehrheader/folder needs a patient INSS and a transaction"));
            return out;
        }
        TransactionSummaryType t = folder.getTransaction();
        Optional<IDKMEHR> local = Kmehr.localIdOf(t.getId());
        Optional<String> type = Kmehr.transactionTypeOf(t.getCd());
        if (local.isEmpty() || type.isEmpty() || t.getDate() == null) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST,
                    "the transaction needs a LOCAL id, a CD-TRANSACTION code and a date"));
            return out;
        }
        String title = t.getCd().stream().filter(cd -> cd.getS() == CDTRANSACTIONschemes.LOCAL && cd.getDN() != null)
                .map(CDTRANSACTION::getDN).findFirst().orElse(type.get());
        String mediaType = t.getCd().stream()
                .filter(cd -> cd.getS() == CDTRANSACTIONschemes.LOCAL && Kmehr.SL_MEDIATYPE.equals(cd.getSL()))
                .map(CDTRANSACTION::getValue).findFirst().orElse(null);
        Long size = Kmehr.localIdValue(t.getId(), Kmehr.SL_SIZE).map(Long::valueOf).orElse(null);
        String sha256 = Kmehr.localIdValue(t.getId(), Kmehr.SL_SHA256).orElse(null);
        StoredDocument stored = store(Kmehr.ssinOf(folder.getPatient()).get(), local.get().getValue(), type.get(), title,
                Kmehr.dateTime(t.getDate(), t.getTime(), ZoneId.systemDefault()), t.getAuthor(), null,
                mediaType, size, sha256);
        world.declared(hub.code(), stored.localId());
        out.setTransaction(transactionIds(stored));
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public PutTransactionResponseType putTransaction(PutTransactionRequestType body) {
        PutTransactionResponseType out = new PutTransactionResponseType();
        out.setResponse(response(body.getRequest()));
        KmehrmessageType message = body.getKmehrmessage();
        if (message == null || message.getFolder().isEmpty() || message.getFolder().get(0).getTransaction().isEmpty()
                || message.getFolder().get(0).getPatient() == null) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "kmehrmessage needs a folder with a patient and a transaction"));
            return out;
        }
        be.fgov.ehealth.standards.kmehr.schema.v1.FolderType folder = message.getFolder().get(0);
        TransactionType t = folder.getTransaction().get(0);
        Optional<String> ssin = Kmehr.ssinOf(folder.getPatient().getId());
        Optional<String> type = Kmehr.transactionTypeOf(t.getCd());
        if (ssin.isEmpty() || type.isEmpty() || t.getDate() == null) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "the transaction needs a patient INSS, a CD-TRANSACTION and a date"));
            return out;
        }
        String localId = Kmehr.localIdOf(t.getId()).map(IDKMEHR::getValue)
                .orElse(hub.code().toUpperCase() + "-PUT-" + now().toInstant().toEpochMilli());
        byte[] kmehr = KmehrMessages.write(message);
        StoredDocument stored = store(ssin.get(), localId, type.get(), type.get(),
                Kmehr.dateTime(t.getDate(), t.getTime(), ZoneId.systemDefault()), t.getAuthor(),
                new String(kmehr, java.nio.charset.StandardCharsets.UTF_8), "text/xml", (long) kmehr.length,
                SandboxWorld.sha256(kmehr));
        out.setTransaction(transactionIds(stored));
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public RevokeTransactionResponseType revokeTransaction(RevokeTransactionRequestType body) {
        RevokeTransactionResponseType out = new RevokeTransactionResponseType();
        out.setResponse(response(body.getRequest()));
        Optional<StoredDocument> document = findDocument(body.getSelect() == null ? null : body.getSelect().getTransaction());
        if (document.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(UNKNOWN_TRANSACTION, "no such transaction at hub " + hub.code()));
            return out;
        }
        world.revokeDocument(hub.code(), document.get().localId());
        world.revoked(hub.code(), document.get().localId());
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    // ---------------------------------------------------------------- patients

    @Override
    public PutPatientResponseType putPatient(PutPatientRequestType body) {
        PutPatientResponseType out = new PutPatientResponseType();
        out.setResponse(response(body.getRequest()));
        Optional<String> ssin = body.getPatient() == null ? Optional.empty() : Kmehr.ssinOf(body.getPatient().getId());
        if (ssin.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "patient needs an INSS id"));
            return out;
        }
        Map<String, Object> details = new HashMap<>();
        details.put("firstName", String.join(" ", body.getPatient().getFirstname()));
        details.put("lastName", body.getPatient().getFamilyname() == null ? "" : body.getPatient().getFamilyname());
        if (body.getPatient().getSex() != null && body.getPatient().getSex().getCd() != null
                && body.getPatient().getSex().getCd().getValue() != null) {
            details.put("sex", body.getPatient().getSex().getCd().getValue().value());
        }
        world.putPatient(hub.code(), ssin.get(), details);
        out.setPatient(body.getPatient());
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public GetPatientResponseType getPatient(GetPatientRequestType body) {
        GetPatientResponseType out = new GetPatientResponseType();
        out.setResponse(response(body.getRequest()));
        Optional<String> ssin = body.getSelect() == null ? Optional.empty() : Kmehr.ssinOf(body.getSelect().getPatient());
        if (ssin.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "select/patient needs an INSS id"));
            return out;
        }
        if (world.hubsOf(ssin.get()).contains(hub.code())) {
            out.setPatient(person(ssin.get()));
        }
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    // ---------------------------------------------------------------- consent (national)

    @Override
    public GetPatientConsentResponseType getPatientConsent(GetPatientConsentRequestType body) {
        GetPatientConsentResponseType out = new GetPatientConsentResponseType();
        out.setResponse(response(body.getRequest()));
        Optional<String> ssin = body.getSelect() == null ? Optional.empty() : Kmehr.ssinOf(body.getSelect().getPatient());
        if (ssin.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "select/patient needs an INSS id"));
            return out;
        }
        world.consent(ssin.get()).ifPresent(c -> out.setConsent(consent(c)));
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public PutPatientConsentResponseType putPatientConsent(PutPatientConsentRequestType body) {
        PutPatientConsentResponseType out = new PutPatientConsentResponseType();
        out.setResponse(response(body.getRequest()));
        ConsentType c = body.getConsent();
        Optional<String> ssin = c == null ? Optional.empty() : Kmehr.ssinOf(c.getPatient());
        if (ssin.isEmpty() || c.getCd().isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "consent needs a patient INSS and a CD-CONSENT code"));
            return out;
        }
        LocalDate signed = c.getSigndate() == null ? LocalDate.now(clock) : Kmehr.localDate(c.getSigndate());
        world.putConsent(new Consent(ssin.get(), c.getCd().get(0).getValue().value(), signed, null));
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public RevokePatientConsentResponseType revokePatientConsent(RevokePatientConsentRequestType body) {
        RevokePatientConsentResponseType out = new RevokePatientConsentResponseType();
        out.setResponse(response(body.getRequest()));
        ConsentType c = body.getConsent();
        Optional<String> ssin = c == null ? Optional.empty() : Kmehr.ssinOf(c.getPatient());
        if (ssin.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "consent needs a patient INSS"));
            return out;
        }
        LocalDate revoked = c.getRevokedate() == null ? LocalDate.now(clock) : Kmehr.localDate(c.getRevokedate());
        if (!world.revokeConsent(ssin.get(), revoked)) {
            out.setAcknowledge(Kmehr.failed("unknown.consent", "the patient has no consent to revoke"));
            return out;
        }
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    // ---------------------------------------------------------------- therapeutic links

    @Override
    public GetTherapeuticLinkResponseType getTherapeuticLink(GetTherapeuticLinkRequestType body) {
        GetTherapeuticLinkResponseType out = new GetTherapeuticLinkResponseType();
        out.setResponse(response(body.getRequest()));
        SelectGetHCPartyPatientConsentType select = body.getSelect();
        if (select == null || select.getPatientOrHcparty().isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "select needs a patient and/or an hcparty"));
            return out;
        }
        String ssin = null;
        String nihii = null;
        for (Object party : select.getPatientOrHcparty()) {
            if (party instanceof PatientIdType p) {
                ssin = Kmehr.ssinOf(p).orElse(null);
            } else if (party instanceof HCPartyIdType h) {
                nihii = nihiiOf(h.getId()).orElse(null);
            }
        }
        Set<String> types = select.getCd().stream().map(CDTHERAPEUTICLINK::getValue).collect(Collectors.toSet());
        LocalDate begin = Kmehr.localDate(select.getBegindate());
        LocalDate end = Kmehr.localDate(select.getEnddate());
        String patient = ssin;
        String professional = nihii;
        // Every link of the patient/professional is returned with its dates (expired ones too, unless a period is
        // asked for): the access gate decides what "active" means at the moment of access.
        List<TherapeuticLink> links = world.links(l -> (patient == null || l.patient().equals(patient))
                && (professional == null || l.professionalNihii().equals(professional))
                && (types.isEmpty() || types.contains(l.type()))
                && (begin == null || l.endDate() == null || !l.endDate().isBefore(begin))
                && (end == null || !l.startDate().isAfter(end)));
        TherapeuticLinkListType list = new TherapeuticLinkListType();
        links.forEach(l -> list.getTherapeuticlink().add(link(l)));
        out.setTherapeuticlinklist(list);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public PutTherapeuticLinkResponseType putTherapeuticLink(PutTherapeuticLinkRequestType body) {
        PutTherapeuticLinkResponseType out = new PutTherapeuticLinkResponseType();
        out.setResponse(response(body.getRequest()));
        TherapeuticLinkType l = body.getTherapeuticlink();
        Optional<String> ssin = linkPatient(l);
        Optional<String> nihii = linkProfessional(l);
        if (ssin.isEmpty() || nihii.isEmpty() || l.getCd() == null) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "therapeuticlink needs a patient, an hcparty NIHII and a type"));
            return out;
        }
        LocalDate start = l.getStartdate() == null ? LocalDate.now(clock) : Kmehr.localDate(l.getStartdate());
        world.putLink(new TherapeuticLink(hub.code(), ssin.get(), nihii.get(), l.getCd().getValue(), start,
                Kmehr.localDate(l.getEnddate())));
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public RevokeTherapeuticLinkResponseType revokeTherapeuticLink(RevokeTherapeuticLinkRequestType body) {
        RevokeTherapeuticLinkResponseType out = new RevokeTherapeuticLinkResponseType();
        out.setResponse(response(body.getRequest()));
        TherapeuticLinkType l = body.getTherapeuticlink();
        Optional<String> ssin = linkPatient(l);
        Optional<String> nihii = linkProfessional(l);
        if (ssin.isEmpty() || nihii.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "therapeuticlink needs a patient and an hcparty NIHII"));
            return out;
        }
        LocalDate day = l.getEnddate() == null ? LocalDate.now(clock) : Kmehr.localDate(l.getEnddate());
        int ended = world.revokeLink(ssin.get(), nihii.get(), l.getCd() == null ? null : l.getCd().getValue(), day);
        out.setAcknowledge(ended > 0 ? Kmehr.complete()
                : Kmehr.failed("unknown.therapeuticlink", "no active therapeutic link to revoke"));
        return out;
    }

    // ---------------------------------------------------------------- access rights

    @Override
    public PutAccessRightResponseType putAccessRight(PutAccessRightRequestType body) {
        PutAccessRightResponseType out = new PutAccessRightResponseType();
        out.setResponse(response(body.getRequest()));
        AccessRightType right = body.getAccessright();
        Optional<StoredDocument> document = right == null || right.getTransaction() == null ? Optional.empty()
                : findDocument(right.getTransaction().getId());
        Optional<String> nihii = right == null || right.getHcparty() == null ? Optional.empty()
                : nihiiOf(right.getHcparty().getId());
        if (document.isEmpty() || nihii.isEmpty() || right.getCd() == null) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST,
                    "accessright needs a known transaction, an hcparty NIHII and allow|disallow"));
            return out;
        }
        world.putAccessRight(new AccessRight(hub.code(), document.get().localId(), nihii.get(),
                right.getCd().getValue().value()));
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public GetAccessRightResponseType getAccessRight(GetAccessRightRequestType body) {
        GetAccessRightResponseType out = new GetAccessRightResponseType();
        out.setResponse(response(body.getRequest()));
        Optional<StoredDocument> document = body.getSelect() == null || body.getSelect().getTransaction() == null
                ? Optional.empty() : findDocument(body.getSelect().getTransaction().getId());
        if (document.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(UNKNOWN_TRANSACTION, "no such transaction at hub " + hub.code()));
            return out;
        }
        AccessRightListType list = new AccessRightListType();
        for (AccessRight r : world.accessRights(hub.code(), document.get().localId())) {
            AccessRightType right = new AccessRightType();
            right.setTransaction(transactionIds(document.get()));
            be.fgov.ehealth.hubservices.core.v3.HcpartyType party = new be.fgov.ehealth.hubservices.core.v3.HcpartyType();
            party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, r.professionalNihii()));
            right.setHcparty(party);
            CDACCESSRIGHT cd = new CDACCESSRIGHT();
            cd.setS(CDACCESSRIGHTschemes.CD_ACCESSRIGHT);
            cd.setSV(Kmehr.SV_ID);
            cd.setValue(CDACCESSRIGHTvalues.fromValue(r.right()));
            right.setCd(cd);
            list.getAccessright().add(right);
        }
        out.setAccessrightlist(list);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    @Override
    public RevokeAccessRightResponseType revokeAccessRight(RevokeAccessRightRequestType body) {
        RevokeAccessRightResponseType out = new RevokeAccessRightResponseType();
        out.setResponse(response(body.getRequest()));
        SelectRevokeAccessRightType select = body.getAccessright();
        Optional<StoredDocument> document = select == null || select.getTransaction() == null ? Optional.empty()
                : findDocument(select.getTransaction().getId());
        if (document.isEmpty()) {
            out.setAcknowledge(Kmehr.failed(UNKNOWN_TRANSACTION, "no such transaction at hub " + hub.code()));
            return out;
        }
        String nihii = select.getHcparty() == null ? null : nihiiOf(select.getHcparty().getId()).orElse(null);
        world.revokeAccessRight(hub.code(), document.get().localId(), nihii);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    // ---------------------------------------------------------------- audit trail

    @Override
    public GetPatientAuditTrailResponseType getPatientAuditTrail(GetPatientAuditTrailRequestType body) {
        GetPatientAuditTrailResponseType out = new GetPatientAuditTrailResponseType();
        out.setResponse(Kmehr.responseList(Kmehr.hubParty(hub), body.getRequest(), now()));
        SelectGetPatientAuditTrailType select = body.getSelect();
        String ssin = select == null ? null : Kmehr.ssinOf(select.getPatient()).orElse(null);
        String nihii = select == null || select.getHcparty() == null ? null : nihiiOf(select.getHcparty().getId()).orElse(null);
        if (ssin == null && nihii == null) {
            out.setAcknowledge(Kmehr.failed(INVALID_REQUEST, "select needs a patient or an hcparty"));
            return out;
        }
        TransactionAccessListType list = new TransactionAccessListType();
        for (AuditEntry e : world.auditTrail(hub.code(), e -> (ssin == null || e.patient().equals(ssin))
                && (nihii == null || nihii.equals(e.professionalNihii())))) {
            TransactionAccessListType.Transactionaccess access = new TransactionAccessListType.Transactionaccess();
            access.setPatient(Kmehr.patient(e.patient()));
            if (e.localId() != null) {
                TransactionWithSpecificTime t = new TransactionWithSpecificTime();
                t.getId().add(Kmehr.localId(hub.sourceLabel(), e.localId()));
                t.getCd().add(Kmehr.cdTransaction(e.type()));
                world.document(hub.code(), e.localId()).ifPresent(d -> {
                    t.setDate(Kmehr.date(d.dateTime().toLocalDate()));
                    t.setTime(Kmehr.time(d.dateTime().toLocalTime()));
                    t.setAuthor(authorOf(d));
                });
                access.setTransaction(t);
            }
            access.getHcparty().add(Kmehr.professionalParty(e.professionalNihii(), null,
                    e.profession() == null ? "persphysician" : e.profession(), null, null));
            access.setAccessdatetime(Kmehr.dateTime(e.at().atZone(ZoneId.systemDefault()).toOffsetDateTime()));
            access.setBreaktheglass(e.breakTheGlass());
            list.getTransactionaccess().add(access);
        }
        out.setTransactionaccesslist(list);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private StoredDocument store(String ssin, String localId, String type, String title, OffsetDateTime when,
                                 AuthorType author, String kmehrXml, String mimeType, Long size, String sha256) {
        String authorNihii = null;
        String authorName = null;
        String profession = null;
        String hospital = null;
        if (author != null) {
            Optional<be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType> person = Kmehr.professionalOf(author);
            if (person.isPresent()) {
                authorNihii = Kmehr.idOf(person.get(), IDHCPARTYschemes.ID_HCPARTY).orElse(null);
                authorName = Kmehr.displayName(person.get());
                profession = Kmehr.cdOf(person.get()).orElse(null);
            }
            hospital = author.getHcparty().stream()
                    .filter(p -> Kmehr.cdOf(p).filter(cd -> cd.startsWith("org")).isPresent())
                    .map(p -> Kmehr.idOf(p, IDHCPARTYschemes.ID_HCPARTY).orElse(null))
                    .map(nihii -> network.hospitals().values().stream().filter(h -> h.nihii().equals(nihii))
                            .map(SandboxSeed.SeedHospital::facilityId).findFirst().orElse(null))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        StoredDocument stored = new StoredDocument(hub.code(), localId, hub.sourceLabel(), ssin, type, title, when,
                authorNihii, authorName, profession, hospital, mimeType, size, sha256, Status.AVAILABLE, kmehrXml);
        world.putDocument(stored);
        return stored;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private Optional<StoredDocument> findDocument(TransactionBaseType transaction) {
        if (transaction == null || transaction.getId() == null) {
            return Optional.empty();
        }
        return findDocument(List.of(transaction.getId()));
    }

    private Optional<StoredDocument> findDocument(List<IDKMEHR> ids) {
        return Kmehr.localIdOf(ids).filter(id -> hub.sourceLabel().equals(id.getSL()))
                .flatMap(id -> world.document(hub.code(), id.getValue()));
    }

    private TransactionIdType transactionIds(StoredDocument d) {
        TransactionIdType ids = new TransactionIdType();
        ids.getId().add(Kmehr.localId(hub.sourceLabel(), d.localId()));
        return ids;
    }

    private TransactionSummaryType summary(StoredDocument d) {
        TransactionSummaryType t = new TransactionSummaryType();
        t.getId().add(Kmehr.idKmehr("1"));
        t.getId().add(Kmehr.localId(hub.sourceLabel(), d.localId()));
        if (d.sha256() != null) {
            t.getId().add(Kmehr.localId(Kmehr.SL_SHA256, d.sha256()));
        }
        if (d.size() != null) {
            t.getId().add(Kmehr.localId(Kmehr.SL_SIZE, d.size().toString()));
        }
        t.getCd().add(Kmehr.cdTransaction(d.type()));
        t.getCd().add(Kmehr.localTransactionCode(hub.sourceLabel() + "-DOCTYPE", d.type(), d.title()));
        if (d.mimeType() != null) {
            t.getCd().add(Kmehr.localTransactionCode(Kmehr.SL_MEDIATYPE, d.mimeType(), null));
        }
        t.setDate(Kmehr.date(d.dateTime().toLocalDate()));
        t.setTime(Kmehr.time(d.dateTime().toLocalTime()));
        t.setAuthor(authorOf(d));
        t.setIscomplete(true);
        t.setIsvalidated(true);
        t.setRecorddatetime(Kmehr.dateTime(d.dateTime()));
        return t;
    }

    /** The author as hubs list it: the professional, the institution, and the hub itself. */
    private AuthorType authorOf(StoredDocument d) {
        AuthorType author = new AuthorType();
        if (d.authorNihii() != null) {
            SandboxSeed.SeedProfessional p = network.professional(d.authorNihii());
            author.getHcparty().add(p != null
                    ? Kmehr.professionalParty(p.nihii(), null, p.profession(), p.firstName(), p.lastName())
                    : Kmehr.professionalParty(d.authorNihii(), null,
                    d.authorProfession() == null ? "persphysician" : d.authorProfession(), null, d.authorName()));
        }
        if (d.hospital() != null) {
            SandboxSeed.SeedHospital h = network.hospital(d.hospital());
            author.getHcparty().add(Kmehr.organisationParty(h.nihii(), "orghospital", h.name()));
        }
        author.getHcparty().add(Kmehr.hubParty(hub));
        return author;
    }

    private PersonType person(String ssin) {
        return network.seed().patients().stream().filter(p -> p.ssin().equals(ssin)).findFirst()
                .map(p -> Kmehr.person(ssin, p.firstName(), p.lastName(), p.sex()))
                .orElseGet(() -> world.patient(hub.code(), ssin)
                        .map(details -> Kmehr.person(ssin, String.valueOf(details.get("firstName")),
                                String.valueOf(details.get("lastName")), (String) details.get("sex")))
                        .orElseGet(() -> Kmehr.person(ssin, null, null, null)));
    }

    private ConsentType consent(Consent c) {
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(c.patient()));
        CDCONSENT cd = new CDCONSENT();
        cd.setS(CDCONSENTschemes.CD_CONSENTTYPE);
        cd.setSV(Kmehr.SV_ID);
        cd.setValue(CDCONSENTvalues.fromValue(c.type()));
        consent.getCd().add(cd);
        consent.setSigndate(Kmehr.date(c.signDate()));
        if (c.revokeDate() != null) {
            consent.setRevokedate(Kmehr.date(c.revokeDate()));
        }
        return consent;
    }

    private static TherapeuticLinkType link(TherapeuticLink l) {
        TherapeuticLinkType link = new TherapeuticLinkType();
        link.setPatient(Kmehr.patient(l.patient()));
        HCPartyIdType party = new HCPartyIdType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, l.professionalNihii()));
        link.setHcparty(party);
        CDTHERAPEUTICLINK cd = new CDTHERAPEUTICLINK();
        cd.setS(CDTHERAPEUTICLINKschemes.CD_THERAPEUTICLINKTYPE);
        cd.setSV(Kmehr.SV_ID);
        cd.setValue(l.type());
        link.setCd(cd);
        link.setStartdate(Kmehr.date(l.startDate()));
        if (l.endDate() != null) {
            link.setEnddate(Kmehr.date(l.endDate()));
        }
        return link;
    }

    private static Optional<String> linkPatient(TherapeuticLinkType link) {
        return link == null ? Optional.empty() : Kmehr.ssinOf(link.getPatient());
    }

    private static Optional<String> linkProfessional(TherapeuticLinkType link) {
        return link == null || link.getHcparty() == null ? Optional.empty() : nihiiOf(link.getHcparty().getId());
    }

    private static Optional<String> nihiiOf(List<IDHCPARTY> ids) {
        return ids.stream().filter(i -> i.getS() == IDHCPARTYschemes.ID_HCPARTY).map(IDHCPARTY::getValue).findFirst();
    }

    private void audit(RequestType request, String ssin, String localId, String type) {
        String nihii = null;
        String profession = null;
        if (request != null && request.getAuthor() != null) {
            Optional<be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType> person =
                    Kmehr.professionalOf(request.getAuthor());
            nihii = person.flatMap(p -> Kmehr.idOf(p, IDHCPARTYschemes.ID_HCPARTY)).orElse(null);
            profession = person.flatMap(Kmehr::cdOf).orElse(null);
        }
        world.audit(new AuditEntry(hub.code(), ssin, localId, type, nihii, profession, clock.instant(),
                request == null ? null : request.getBreaktheglass()));
    }

    /** The KMEHR of a document: what was put, or what the source hospital delivers (wrapped when not KMEHR). */
    private KmehrmessageType kmehrOf(StoredDocument d) {
        if (d.kmehrXml() != null) {
            return KmehrMessages.read(new ByteArrayInputStream(d.kmehrXml().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        SandboxSeed.SeedHospital hospital = d.hospital() == null ? null : network.hospital(d.hospital());
        if (hospital == null) {
            throw new IllegalStateException("the hub does not know which hospital holds " + d.localId());
        }
        byte[] bytes;
        String mimeType;
        if ("soap".equals(hospital.source())) {
            return SandboxSourceRelay.fromSoapSource(hospital, d, hub, addresses, validation);
        } else {
            HttpRequest get = HttpRequest.newBuilder(addresses.resolve("/sandbox/hospitals/" + hospital.facilityId()
                    + "/documents/" + java.net.URLEncoder.encode(d.localId(), java.nio.charset.StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30)).GET().build();
            try {
                HttpResponse<InputStream> response = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("source answered HTTP " + response.statusCode());
                    }
                    bytes = in.readAllBytes();
                }
                mimeType = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
            } catch (java.io.IOException e) {
                throw new IllegalStateException("source unreachable: " + e.getClass().getSimpleName(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (mimeType.startsWith("text/xml")) {
            try {
                return KmehrMessages.read(new ByteArrayInputStream(bytes));
            } catch (IllegalArgumentException notKmehr) {
                // XML that is not KMEHR travels wrapped, like any other content
            }
        }
        TransactionType transaction = new TransactionType();
        transaction.getId().add(Kmehr.idKmehr("1"));
        transaction.getId().add(Kmehr.localId(hub.sourceLabel(), d.localId()));
        transaction.getCd().add(Kmehr.cdTransaction(d.type()));
        transaction.setDate(Kmehr.date(d.dateTime().toLocalDate()));
        transaction.setTime(Kmehr.time(d.dateTime().toLocalTime()));
        transaction.setAuthor(authorOf(d));
        transaction.setIscomplete(true);
        transaction.setIsvalidated(true);
        return KmehrMessages.wrap(bytes, mimeType, person(d.patient()), transaction,
                Kmehr.organisationParty(hospital.nihii(), "orghospital", hospital.name()), Kmehr.hubParty(hub),
                hospital.nihii() + "." + d.localId(), now());
    }
}
