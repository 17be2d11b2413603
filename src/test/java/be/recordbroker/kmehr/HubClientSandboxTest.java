package be.recordbroker.kmehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import be.fgov.ehealth.hubservices.core.v3.*;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINK;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINKschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.LnkType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHR;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.WireRecorder;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.Ssin;
import be.recordbroker.metahub.v1.*;
import be.recordbroker.network.Network;
import be.recordbroker.sandbox.SandboxNetwork;
import be.recordbroker.sandbox.SandboxWorld.StoredDocument;

/** The project's hub client against every sandbox hub and the metahub, over real SOAP on loopback. */
class HubClientSandboxTest extends SandboxIntegrationTest {

    private static final String PROTOCOL_NS = "http://www.ehealth.fgov.be/hubservices/protocol/v3";
    private static final HcpartyType GP = Kmehr.professionalParty("12345625004", "72031412122", "persphysician", "An",
            "Verstraeten");

    @Autowired
    HubClients clients;

    @Autowired
    SandboxNetwork sandbox;

    @Autowired
    Network network;

    private static RequestType request() {
        return Kmehr.request(GP, OffsetDateTime.now());
    }

    private static RequestListType requestList() {
        return Kmehr.requestList(GP, OffsetDateTime.now());
    }

    private GetTransactionListResponseType list(String hub, String ssin) {
        GetTransactionListRequestType request = new GetTransactionListRequestType();
        request.setRequest(requestList());
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient(ssin));
        select.setSearchtype(LocalSearchType.LOCAL);
        request.setSelect(select);
        return clients.hub(hub).getTransactionList(request);
    }

    private static List<String> localIds(GetTransactionListResponseType response, String sourceLabel) {
        if (response.getKmehrheader() == null) {
            return List.of();
        }
        return response.getKmehrheader().getFolder().getTransaction().stream()
                .map(t -> Kmehr.localIdOf(t.getId()).orElseThrow())
                .peek(id -> assertThat(id.getSL()).isEqualTo(sourceLabel))
                .map(IDKMEHR::getValue).toList();
    }

    @Test
    void everySandboxHubListsThePatientsDocumentsNewestFirstWithItsOwnSourceLabelAndHubParty() {
        for (Hub hub : network.hubs().all()) {
            List<StoredDocument> seeded = sandbox.seededDocuments().stream().filter(d -> d.hub().equals(hub.code())).toList();
            String ssin = seeded.get(0).patient();
            Set<String> expected = seeded.stream().filter(d -> d.patient().equals(ssin)).map(StoredDocument::localId)
                    .collect(Collectors.toSet());

            GetTransactionListResponseType response = list(hub.code(), ssin);

            assertThat(response.getAcknowledge().isIscomplete()).as(hub.code()).isTrue();
            assertThat(localIds(response, hub.sourceLabel())).as(hub.code()).containsExactlyInAnyOrderElementsOf(expected);
            List<TransactionSummaryType> transactions = response.getKmehrheader().getFolder().getTransaction();
            for (int i = 1; i < transactions.size(); i++) {
                OffsetDateTime previous = Kmehr.dateTime(transactions.get(i - 1).getDate(), transactions.get(i - 1).getTime(),
                        java.time.ZoneId.systemDefault());
                OffsetDateTime current = Kmehr.dateTime(transactions.get(i).getDate(), transactions.get(i).getTime(),
                        java.time.ZoneId.systemDefault());
                assertThat(previous).as("newest first at " + hub.code()).isAfterOrEqualTo(current);
            }
            TransactionSummaryType first = transactions.get(0);
            HcpartyType hubParty = Kmehr.hubOf(first.getAuthor()).orElseThrow();
            assertThat(Kmehr.idOf(hubParty, IDHCPARTYschemes.ID_HCPARTY)).contains(hub.ehpId());
            assertThat(Kmehr.ssinOf(response.getKmehrheader().getFolder().getPatient().getId())).contains(ssin);
            assertThat(response.getResponse().getAuthor().getHcparty().get(0).getId().get(0).getValue())
                    .isEqualTo(hub.ehpId());
        }
    }

    @Test
    void theHubClientSpeaksTheOfficialNamespaceAndSoapAction() throws Exception {
        wire.clear();
        String ssin = sandbox.seededDocuments().get(0).patient();

        list("rsb", ssin);

        // the recorder adds a request once its response is written, which can be just after the client has it
        WireRecorder.Received call = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> wire.received().stream().filter(r -> r.path().equals("/sandbox/hubs/rsb/intrahub/v3"))
                        .reduce((a, b) -> b), java.util.Optional::isPresent).orElseThrow();
        assertThat(call.soapAction()).isEqualTo("\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetTransactionList\"");
        assertThat(call.contentType()).startsWith("text/xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document envelope = factory.newDocumentBuilder().parse(new ByteArrayInputStream(call.body().getBytes("UTF-8")));
        assertThat(envelope.getDocumentElement().getNamespaceURI()).isEqualTo("http://schemas.xmlsoap.org/soap/envelope/");
        Element body = (Element) envelope.getElementsByTagNameNS("http://schemas.xmlsoap.org/soap/envelope/", "Body").item(0);
        Element operation = firstElement(body);
        assertThat(operation.getNamespaceURI()).isEqualTo(PROTOCOL_NS);
        assertThat(operation.getLocalName()).isEqualTo("GetTransactionListRequest");
        assertThat(call.body()).contains(">" + ssin + "<");
    }

    private static Element firstElement(Element parent) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        throw new AssertionError("no element in " + parent.getLocalName());
    }

    @Test
    void consentIsNationalAndARevokedConsentCarriesItsRevokeDate() {
        String revoked = sandbox.seed().patients().stream().filter(p -> p.consent() != null && p.consent().revokeDate() != null)
                .findFirst().orElseThrow().ssin();
        for (Hub hub : network.hubs().all()) {
            GetPatientConsentRequestType request = new GetPatientConsentRequestType();
            request.setRequest(request());
            SelectGetPatientConsentType select = new SelectGetPatientConsentType();
            select.setPatient(Kmehr.patient(revoked));
            request.setSelect(select);
            GetPatientConsentResponseType response = clients.hub(hub.code()).getPatientConsent(request);
            assertThat(response.getAcknowledge().isIscomplete()).isTrue();
            assertThat(response.getConsent().getRevokedate()).as(hub.code()).isNotNull();
            assertThat(Kmehr.localDate(response.getConsent().getRevokedate())).isBefore(LocalDate.now());
        }
    }

    @Test
    void aTestSetsUpItsOwnCaseThroughTheHubsWriteOperations() {
        String ssin = Ssin.parse("93051822361").value();
        assertThat(sandbox.seed().patients()).noneMatch(p -> p.ssin().equals(ssin));
        String nurse = "41122357403";

        // consent at one hub is valid at every hub
        PutPatientConsentRequestType putConsent = new PutPatientConsentRequestType();
        putConsent.setRequest(request());
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(ssin));
        CDCONSENT cd = new CDCONSENT();
        cd.setS(CDCONSENTschemes.CD_CONSENTTYPE);
        cd.setSV("1.0");
        cd.setValue(CDCONSENTvalues.RETROSPECTIVE);
        consent.getCd().add(cd);
        consent.setSigndate(Kmehr.date(LocalDate.now()));
        putConsent.setConsent(consent);
        assertThat(clients.hub("rsb").putPatientConsent(putConsent).getAcknowledge().isIscomplete()).isTrue();
        GetPatientConsentRequestType getConsent = new GetPatientConsentRequestType();
        getConsent.setRequest(request());
        SelectGetPatientConsentType consentSelect = new SelectGetPatientConsentType();
        consentSelect.setPatient(Kmehr.patient(ssin));
        getConsent.setSelect(consentSelect);
        assertThat(clients.hub("cozo").getPatientConsent(getConsent).getConsent().getRevokedate()).isNull();

        // a therapeutic link
        PutTherapeuticLinkRequestType putLink = new PutTherapeuticLinkRequestType();
        putLink.setRequest(request());
        TherapeuticLinkType link = new TherapeuticLinkType();
        link.setPatient(Kmehr.patient(ssin));
        HCPartyIdType party = new HCPartyIdType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nurse));
        link.setHcparty(party);
        CDTHERAPEUTICLINK type = new CDTHERAPEUTICLINK();
        type.setS(CDTHERAPEUTICLINKschemes.CD_THERAPEUTICLINKTYPE);
        type.setSV("1.0");
        type.setValue("homecare");
        link.setCd(type);
        link.setEnddate(Kmehr.date(LocalDate.now().plusMonths(3)));
        putLink.setTherapeuticlink(link);
        assertThat(clients.hub("cozo").putTherapeuticLink(putLink).getAcknowledge().isIscomplete()).isTrue();
        GetTherapeuticLinkRequestType getLink = new GetTherapeuticLinkRequestType();
        getLink.setRequest(request());
        SelectGetHCPartyPatientConsentType linkSelect = new SelectGetHCPartyPatientConsentType();
        linkSelect.getPatientOrHcparty().add(Kmehr.patient(ssin));
        getLink.setSelect(linkSelect);
        List<TherapeuticLinkType> links = clients.hub("cozo").getTherapeuticLink(getLink).getTherapeuticlinklist()
                .getTherapeuticlink();
        assertThat(links).hasSize(1);
        assertThat(links.get(0).getHcparty().getId().get(0).getValue()).isEqualTo(nurse);
        assertThat(links.get(0).getCd().getValue()).isEqualTo("homecare");

        // a declaration by reference, listed, then revoked
        DeclareTransactionRequestType declare = new DeclareTransactionRequestType();
        declare.setRequest(request());
        be.fgov.ehealth.hubservices.core.v3.FolderType folder = new be.fgov.ehealth.hubservices.core.v3.FolderType();
        folder.setPatient(Kmehr.patient(ssin));
        TransactionSummaryType summary = new TransactionSummaryType();
        summary.getId().add(Kmehr.localId("RSWID", "TEST-DECLARE-1"));
        summary.getCd().add(Kmehr.cdTransaction("contactreport"));
        summary.getCd().add(Kmehr.localTransactionCode("LGE-DOCTYPE", "CONSULT", "Consultation note"));
        summary.setDate(Kmehr.date(LocalDate.now()));
        summary.setTime(Kmehr.time(java.time.LocalTime.NOON));
        summary.setAuthor(Kmehr.author(GP, Kmehr.organisationParty("71000238", "orghospital", "Sandbox Hospital Liège")));
        summary.setIscomplete(true);
        summary.setIsvalidated(true);
        summary.setRecorddatetime(Kmehr.dateTime(OffsetDateTime.now()));
        folder.setTransaction(summary);
        KmehrHeaderDeclareTransactionType header = new KmehrHeaderDeclareTransactionType();
        header.setFolder(folder);
        declare.setKmehrheader(header);
        DeclareTransactionResponseType declared = clients.hub("rsw").declareTransaction(declare);
        assertThat(declared.getAcknowledge().isIscomplete()).isTrue();
        assertThat(Kmehr.localIdOf(declared.getTransaction().getId()).orElseThrow().getValue()).isEqualTo("TEST-DECLARE-1");
        assertThat(localIds(list("rsw", ssin), "RSWID")).containsExactly("TEST-DECLARE-1");
        TransactionSummaryType listed = list("rsw", ssin).getKmehrheader().getFolder().getTransaction().get(0);
        assertThat(listed.getCd()).anySatisfy(c -> assertThat(c.getDN()).isEqualTo("Consultation note"));

        // the metahub now knows the patient at rsw
        GetPatientHubLinksRequestType hubLinks = new GetPatientHubLinksRequestType();
        hubLinks.setRequest(request());
        SelectGetPatientHubLinksType hubSelect = new SelectGetPatientHubLinksType();
        hubSelect.setPatient(Kmehr.patient(ssin));
        hubLinks.setSelect(hubSelect);
        assertThat(clients.metahub().getPatientHubLinks(hubLinks).getPatienthublinklist().getPatienthublink())
                .extracting(l -> Kmehr.idOf(l.getHcparty(), IDHCPARTYschemes.ID_HCPARTY).orElseThrow())
                .containsExactly("1990000035");

        // a per-document access right
        PutAccessRightRequestType putRight = new PutAccessRightRequestType();
        putRight.setRequest(request());
        AccessRightType right = new AccessRightType();
        right.setTransaction(declared.getTransaction());
        be.fgov.ehealth.hubservices.core.v3.HcpartyType hidden = new be.fgov.ehealth.hubservices.core.v3.HcpartyType();
        hidden.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nurse));
        right.setHcparty(hidden);
        CDACCESSRIGHT disallow = new CDACCESSRIGHT();
        disallow.setS(CDACCESSRIGHTschemes.CD_ACCESSRIGHT);
        disallow.setSV("1.0");
        disallow.setValue(CDACCESSRIGHTvalues.DISALLOW);
        right.setCd(disallow);
        putRight.setAccessright(right);
        assertThat(clients.hub("rsw").putAccessRight(putRight).getAcknowledge().isIscomplete()).isTrue();
        GetAccessRightRequestType getRight = new GetAccessRightRequestType();
        getRight.setRequest(request());
        SelectGetAccessRightType rightSelect = new SelectGetAccessRightType();
        rightSelect.setTransaction(declared.getTransaction());
        getRight.setSelect(rightSelect);
        List<AccessRightType> rights = clients.hub("rsw").getAccessRight(getRight).getAccessrightlist().getAccessright();
        assertThat(rights).singleElement().satisfies(r -> {
            assertThat(r.getCd().getValue()).isEqualTo(CDACCESSRIGHTvalues.DISALLOW);
            assertThat(r.getHcparty().getId().get(0).getValue()).isEqualTo(nurse);
        });

        // an exclusion at the metahub: put, get, revoke
        TherapeuticExclusionType exclusion = new TherapeuticExclusionType();
        exclusion.setPatient(Kmehr.patient(ssin));
        exclusion.setHcparty(Kmehr.professionalParty(nurse, null, "persnurse", "Koen", "Baert"));
        PutTherapeuticExclusionRequestType putExclusion = new PutTherapeuticExclusionRequestType();
        putExclusion.setRequest(request());
        putExclusion.setTherapeuticexclusion(exclusion);
        assertThat(clients.metahub().putTherapeuticExclusion(putExclusion).getAcknowledge().isIscomplete()).isTrue();
        GetTherapeuticExclusionRequestType getExclusion = new GetTherapeuticExclusionRequestType();
        getExclusion.setRequest(request());
        TherapeuticExclusionSelectType exclusionSelect = new TherapeuticExclusionSelectType();
        exclusionSelect.setPatient(Kmehr.patient(ssin));
        getExclusion.setSelect(exclusionSelect);
        assertThat(clients.metahub().getTherapeuticExclusion(getExclusion).getTherapeuticexclusionlist()
                .getTherapeuticexclusion()).singleElement()
                .satisfies(e -> assertThat(Kmehr.idOf(e.getHcparty(), IDHCPARTYschemes.ID_HCPARTY)).contains(nurse));
        RevokeTherapeuticExclusionRequestType revokeExclusion = new RevokeTherapeuticExclusionRequestType();
        revokeExclusion.setRequest(request());
        revokeExclusion.setTherapeuticexclusion(exclusion);
        assertThat(clients.metahub().revokeTherapeuticExclusion(revokeExclusion).getAcknowledge().isIscomplete()).isTrue();
        assertThat(clients.metahub().getTherapeuticExclusion(getExclusion).getTherapeuticexclusionlist()
                .getTherapeuticexclusion()).isEmpty();

        // revoke the transaction: gone from the list, GetTransaction answers an error acknowledgement
        RevokeTransactionRequestType revoke = new RevokeTransactionRequestType();
        revoke.setRequest(request());
        SelectRevokeTransactionType revokeSelect = new SelectRevokeTransactionType();
        revokeSelect.setPatient(Kmehr.patient(ssin));
        TransactionBaseType base = new TransactionBaseType();
        base.setId(Kmehr.localId("RSWID", "TEST-DECLARE-1"));
        revokeSelect.setTransaction(base);
        revoke.setSelect(revokeSelect);
        assertThat(clients.hub("rsw").revokeTransaction(revoke).getAcknowledge().isIscomplete()).isTrue();
        assertThat(localIds(list("rsw", ssin), "RSWID")).isEmpty();
        GetTransactionResponseType gone = getTransaction("rsw", ssin, "RSWID", "TEST-DECLARE-1", null);
        assertThat(gone.getAcknowledge().isIscomplete()).isFalse();
        assertThat(gone.getAcknowledge().getError()).isNotEmpty();
        assertThat(gone.getKmehrmessage()).isNull();

        // and the consent revoked
        RevokePatientConsentRequestType revokeConsent = new RevokePatientConsentRequestType();
        revokeConsent.setRequest(request());
        ConsentType toRevoke = new ConsentType();
        toRevoke.setPatient(Kmehr.patient(ssin));
        toRevoke.getCd().add(cd);
        revokeConsent.setConsent(toRevoke);
        assertThat(clients.hub("rsw").revokePatientConsent(revokeConsent).getAcknowledge().isIscomplete()).isTrue();
        assertThat(clients.hub("rsb").getPatientConsent(getConsent).getConsent().getRevokedate()).isNotNull();
    }

    private GetTransactionResponseType getTransaction(String hub, String ssin, String sl, String localId, String btg) {
        GetTransactionRequestType request = new GetTransactionRequestType();
        request.setRequest(request());
        request.getRequest().setBreaktheglass(btg);
        SelectGetTransactionType select = new SelectGetTransactionType();
        select.setPatient(Kmehr.patient(ssin));
        TransactionBaseType transaction = new TransactionBaseType();
        transaction.setId(Kmehr.localId(sl, localId));
        select.setTransaction(transaction);
        request.setSelect(select);
        return clients.hub(hub).getTransaction(request);
    }

    @Test
    void getTransactionRelaysToTheRestSourceAndReturnsTheBytesInAKmehrLink() throws Exception {
        StoredDocument pdf = sandbox.seededDocuments().stream()
                .filter(d -> d.mimeType().equals("application/pdf") && d.size() > 1_000_000).findFirst().orElseThrow();

        GetTransactionResponseType response = getTransaction(pdf.hub(), pdf.patient(), pdf.sourceLabel(), pdf.localId(), null);

        assertThat(response.getAcknowledge().isIscomplete()).isTrue();
        LnkType lnk = KmehrMessages.firstMultimedia(response.getKmehrmessage()).orElseThrow();
        assertThat(lnk.getMEDIATYPE().value()).isEqualTo("application/pdf");
        assertThat(sha256(lnk.getValue())).isEqualTo(pdf.sha256());
        assertThat(Long.parseLong(lnk.getSIZE())).isEqualTo(pdf.size());
    }

    @Test
    void getTransactionRelaysToTheSoapSourceAndReturnsItsKmehrSumehr() {
        StoredDocument sumehr = sandbox.seededDocuments().stream()
                .filter(d -> d.hospital().equals("SANDBOX-GNT") && d.type().equals("sumehr")).findFirst().orElseThrow();

        GetTransactionResponseType response = getTransaction(sumehr.hub(), sumehr.patient(), sumehr.sourceLabel(),
                sumehr.localId(), null);

        assertThat(response.getAcknowledge().isIscomplete()).isTrue();
        KmehrmessageType message = response.getKmehrmessage();
        assertThat(Kmehr.ssinOf(message.getFolder().get(0).getPatient().getId())).contains(sumehr.patient());
        assertThat(Kmehr.transactionTypeOf(message.getFolder().get(0).getTransaction().get(0).getCd())).contains("sumehr");
        assertThat(Kmehr.localIdOf(message.getFolder().get(0).getTransaction().get(0).getId()).orElseThrow().getValue())
                .isEqualTo(sumehr.localId());
    }

    @Test
    void aHospitalNotConnectedToTheBrokerIsReachedThroughItsHub() throws Exception {
        StoredDocument namur = sandbox.seededDocuments().stream().filter(d -> d.hospital().equals("SANDBOX-NAM"))
                .findFirst().orElseThrow();
        assertThat(network.hospital("SANDBOX-NAM")).isEmpty();

        GetTransactionResponseType response = getTransaction(namur.hub(), namur.patient(), namur.sourceLabel(),
                namur.localId(), null);

        assertThat(response.getAcknowledge().isIscomplete()).isTrue();
        byte[] content = KmehrMessages.firstMultimedia(response.getKmehrmessage()).map(LnkType::getValue)
                .orElseGet(() -> KmehrMessages.write(response.getKmehrmessage()));
        if (!namur.mimeType().equals("text/xml")) {
            assertThat(sha256(content)).isEqualTo(namur.sha256());
        }
    }

    @Test
    void everyAccessLandsInTheHubsAuditTrailWithTheBreakTheGlassReason() {
        StoredDocument document = sandbox.seededDocuments().stream().filter(d -> d.hub().equals("cozo")
                && d.mimeType().equals("text/plain")).findFirst().orElseThrow();
        String reason = "unconscious patient at the emergency department " + System.nanoTime();

        assertThat(getTransaction("cozo", document.patient(), document.sourceLabel(), document.localId(), reason)
                .getAcknowledge().isIscomplete()).isTrue();

        GetPatientAuditTrailRequestType request = new GetPatientAuditTrailRequestType();
        request.setRequest(requestList());
        SelectGetPatientAuditTrailType select = new SelectGetPatientAuditTrailType();
        select.setPatient(Kmehr.patient(document.patient()));
        request.setSelect(select);
        List<TransactionAccessListType.Transactionaccess> accesses = clients.hub("cozo").getPatientAuditTrail(request)
                .getTransactionaccesslist().getTransactionaccess();
        assertThat(accesses).anySatisfy(a -> {
            assertThat(a.getBreaktheglass()).isEqualTo(reason);
            assertThat(Kmehr.localIdOf(a.getTransaction().getId()).orElseThrow().getValue()).isEqualTo(document.localId());
            assertThat(Kmehr.idOf(a.getHcparty().get(0), IDHCPARTYschemes.ID_HCPARTY)).contains("12345625004");
            assertThat(a.getAccessdatetime()).isNotNull();
        });
    }

    @Test
    void theMetahubKnowsPatientsAtTwoHubs() {
        var twoHubs = sandbox.seed().patients().stream().filter(p -> p.hubs().size() == 2).findFirst().orElseThrow();
        GetPatientHubLinksRequestType request = new GetPatientHubLinksRequestType();
        request.setRequest(request());
        SelectGetPatientHubLinksType select = new SelectGetPatientHubLinksType();
        select.setPatient(Kmehr.patient(twoHubs.ssin()));
        request.setSelect(select);

        List<PatientHubLinkType> links = clients.metahub().getPatientHubLinks(request).getPatienthublinklist()
                .getPatienthublink();

        Set<String> expected = twoHubs.hubs().stream().map(code -> network.requireHub(code).ehpId())
                .collect(Collectors.toSet());
        assertThat(links).extracting(l -> Kmehr.idOf(l.getHcparty(), IDHCPARTYschemes.ID_HCPARTY).orElseThrow())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void anUnknownTransactionIsAnErrorAcknowledgementNotAFault() {
        GetTransactionResponseType response = getTransaction("rsb", "85073003328", "RSBID", "NO-SUCH-DOCUMENT", null);
        assertThat(response.getAcknowledge().isIscomplete()).isFalse();
        assertThat(response.getAcknowledge().getError().get(0).getCd().get(0).getValue()).isEqualTo("unknown.transaction");
    }

    @Test
    void anUnknownHubCodeIsRefusedByTheClient() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clients.hub("vitalink"))
                .isInstanceOf(HubClients.UnknownHubException.class).hasMessageContaining("vitalink");
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
