package be.recordbroker.retrieve;

import static be.recordbroker.retrieve.RetrievalFixtures.BRU;
import static be.recordbroker.retrieve.RetrievalFixtures.GNT;
import static be.recordbroker.retrieve.RetrievalFixtures.NAM;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.xml.ws.BindingProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListResponseType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionResponseType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionType;
import be.fgov.ehealth.hubservices.core.v3.TransactionBaseType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDLNKvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.LnkType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHR;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.schema.v1.TransactionType;
import be.recordbroker.TestSoap;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.kmehr.KmehrMessages;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.sandbox.SandboxSourceFaults;
import be.recordbroker.soap.SoapGetTransaction;

/**
 * IntraHub GetTransaction on the broker's SOAP face, end to end against the sandbox: the KMEHR message of a KMEHR
 * source as it came, any other content wrapped in a multimedia lnk whose bytes are the source's (as an MTOM attachment
 * when large), and refusals as acknowledgements carrying the reason code.
 */
class SoapGetTransactionIntegrationTest extends SandboxIntegrationTest {

    RetrievalFixtures fixtures;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    JdbcAuditTrail trail;
    @Autowired
    SandboxSourceFaults sourceFaults;

    @BeforeEach
    void fixtures() {
        fixtures = new RetrievalFixtures(base());
    }

    @AfterEach
    void clearSourceFaults() {
        sourceFaults.clearAll();
    }

    @Test
    void aRestSourceDocumentIsWrappedInAMultimediaLinkWithTheSourcesBytes() throws Exception {
        String patient = fixtures.patientWithGp();
        String localId = "GEN-2000003-61";
        String id = fixtures.declare(BRU, patient, localId, "dischargereport", null);

        GetTransactionResponseType answer = broker().getTransaction(request(RetrievalFixtures.GP, brokerId(id), null));

        assertThat(answer.getAcknowledge().isIscomplete()).isTrue();
        LnkType lnk = KmehrMessages.firstMultimedia(answer.getKmehrmessage()).orElseThrow();
        assertThat(lnk.getTYPE()).isEqualTo(CDLNKvalues.MULTIMEDIA);
        assertThat(lnk.getSIZE()).isEqualTo("2000003");
        assertThat(RetrievalFixtures.sha256(lnk.getValue())).isEqualTo(RetrievalFixtures.generatedSha256(localId));
        TransactionType transaction = answer.getKmehrmessage().getFolder().get(0).getTransaction().get(0);
        assertThat(Kmehr.transactionTypeOf(transaction.getCd())).contains("dischargereport");
        assertThat(Kmehr.localIdValue(transaction.getId(), BRU.sourceLabel())).contains(localId);
        assertThat(Kmehr.ssinOf(answer.getKmehrmessage().getFolder().get(0).getPatient().getId())).contains(patient);
        AuditEvent read = trail.forPatient(patient, 5, 0).get(0);
        assertThat(read.face()).isEqualTo("soap");
        assertThat(read.action()).isEqualTo("read");
        assertThat(read.reason()).isEqualTo("THERAPEUTIC_LINK");
        assertThat(read.documentId()).isEqualTo(id);
    }

    @Test
    void aLargeDocumentTravelsAsAnMtomAttachmentAndASmallOneInline() throws Exception {
        String patient = fixtures.patientWithGp();
        String large = fixtures.declare(BRU, patient, "GEN-1000000-62", "labresult", null);
        String small = fixtures.declare(BRU, patient, "GEN-1000-63", "labresult", null);

        HttpResponse<byte[]> mtom = raw(large, patient);
        HttpResponse<byte[]> inline = raw(small, patient);

        assertThat(mtom.statusCode()).isEqualTo(200);
        assertThat(mtom.headers().firstValue("Content-Type").orElse("")).startsWith("multipart/related")
                .contains("application/xop+xml");
        String mtomText = new String(mtom.body(), StandardCharsets.ISO_8859_1);
        assertThat(mtomText).contains("xop:Include");
        // binary, not base64: the message is barely larger than the document
        assertThat(mtom.body().length).isBetween(1_000_000, 1_010_000);
        assertThat(inline.statusCode()).isEqualTo(200);
        assertThat(inline.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(new String(inline.body(), StandardCharsets.UTF_8)).doesNotContain("xop:Include").contains("TYPE=\"multimedia\"");
    }

    @Test
    void aKmehrSourcesMessageIsAnsweredAsItCame() throws Exception {
        String patient = "12020175988"; // seed: BRU-00001, a SUMEHR served as KMEHR by the Brussels REST source
        fixtures.link(patient, RetrievalFixtures.GP, "gpconsultation");
        String id = RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "BRU-00001"));

        GetTransactionResponseType answer = broker().getTransaction(request(RetrievalFixtures.GP, brokerId(id), null));

        assertThat(answer.getAcknowledge().isIscomplete()).isTrue();
        assertThat(KmehrMessages.firstMultimedia(answer.getKmehrmessage())).isEmpty();
        List<TransactionType> transactions = answer.getKmehrmessage().getFolder().get(0).getTransaction();
        assertThat(transactions).anySatisfy(t -> assertThat(Kmehr.transactionTypeOf(t.getCd())).contains("sumehr"));
    }

    @Test
    void soapSourcesAndHubRelaysAnswerWithTheSourcesBytes() throws Exception {
        String patient = fixtures.patientWithGp();
        String soap = fixtures.declare(GNT, patient, "GEN-120001-64", "labresult", null);
        String relayed = fixtures.declare(NAM, patient, "GEN-120002-65", "labresult", null);

        for (var c : List.of(Map.entry(soap, "GEN-120001-64"), Map.entry(relayed, "GEN-120002-65"))) {
            GetTransactionResponseType answer = broker().getTransaction(request(RetrievalFixtures.GP, brokerId(c.getKey()),
                    null));
            assertThat(answer.getAcknowledge().isIscomplete()).isTrue();
            assertThat(RetrievalFixtures.sha256(KmehrMessages.firstMultimedia(answer.getKmehrmessage()).orElseThrow()
                    .getValue())).isEqualTo(RetrievalFixtures.generatedSha256(c.getValue()));
        }
    }

    @Test
    void aHubsOwnLocalIdWithThePatientNamesTheDocumentToo() throws Exception {
        String patient = fixtures.patientWithGp();
        fixtures.declare(BRU, patient, "GEN-5000-66", "labresult", null);
        GetTransactionRequestType request = request(RetrievalFixtures.GP, Kmehr.localId("RSBID", "GEN-5000-66"), patient);

        GetTransactionResponseType answer = broker().getTransaction(request);

        assertThat(answer.getAcknowledge().isIscomplete()).isTrue();
        assertThat(RetrievalFixtures.sha256(KmehrMessages.firstMultimedia(answer.getKmehrmessage()).orElseThrow()
                .getValue())).isEqualTo(RetrievalFixtures.generatedSha256("GEN-5000-66"));
    }

    @Test
    void aDocumentListedByTheBrokersGetTransactionListIsFetchedByTheIdItListed() throws Exception {
        String patient = fixtures.patientWithGp();
        fixtures.declare(NAM, patient, "GEN-33333-70", "labresult", null);
        GetTransactionListRequestType list = new GetTransactionListRequestType();
        list.setRequest(Kmehr.requestList(Kmehr.professionalParty(RetrievalFixtures.GP, null, "persphysician", "Dr",
                "An Verstraeten"), OffsetDateTime.now()));
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient(patient));
        list.setSelect(select);
        GetTransactionListResponseType listed = broker().getTransactionList(list);
        assertThat(listed.getAcknowledge().isIscomplete()).isTrue();
        IDKMEHR id = listed.getKmehrheader().getFolder().getTransaction().get(0).getId().stream()
                .filter(i -> SoapGetTransaction.SL_DOCUMENT_ID.equals(i.getSL())).findFirst().orElseThrow();

        GetTransactionResponseType answer = broker().getTransaction(request(RetrievalFixtures.GP, id, patient));

        assertThat(answer.getAcknowledge().isIscomplete()).isTrue();
        assertThat(RetrievalFixtures.sha256(KmehrMessages.firstMultimedia(answer.getKmehrmessage()).orElseThrow()
                .getValue())).isEqualTo(RetrievalFixtures.generatedSha256("GEN-33333-70"));
    }

    @Test
    void refusalsAreIncompleteAcknowledgementsWithTheReasonCode() throws Exception {
        String patient = fixtures.patientWithGp();
        String id = fixtures.declare(BRU, patient, "GEN-5000-67", "labresult", null);
        String huge = fixtures.declare(BRU, patient, "GEN-40000000-68", "labresult", null);
        String slow = fixtures.declare(GNT, patient, "GEN-5000-69", "labresult", null);
        IntraHubPortType broker = broker();

        assertThat(error(broker.getTransaction(request(RetrievalFixtures.CARDIOLOGIST, brokerId(id), null))))
                .isEqualTo("NO_THERAPEUTIC_LINK");
        assertThat(error(broker.getTransaction(request(null, brokerId(id), null)))).isEqualTo("UNAUTHENTICATED");
        assertThat(error(broker.getTransaction(request(RetrievalFixtures.GP, brokerId("garbage"), null))))
                .isEqualTo("INVALID_DOCUMENT_ID");
        // another patient's LOCAL id: the patient-level gate answers first (that patient has no consent), before the
        // hub is asked whether it lists the document
        assertThat(error(broker.getTransaction(request(RetrievalFixtures.GP, Kmehr.localId("RSBID", "GEN-5000-67"),
                RetrievalFixtures.freshPatient())))).isEqualTo("NO_CONSENT");
        assertThat(error(broker.getTransaction(request(RetrievalFixtures.GP, brokerId(
                RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, "RSBID", "NEVER-DECLARED"))), null))))
                .isEqualTo("UNKNOWN_DOCUMENT");
        // over the in-memory cap of a KMEHR answer: refused from the announced length, nothing read
        GetTransactionResponseType tooLarge = broker.getTransaction(request(RetrievalFixtures.GP, brokerId(huge), null));
        assertThat(error(tooLarge)).isEqualTo("DOCUMENT_TOO_LARGE");
        assertThat(tooLarge.getAcknowledge().getError().get(0).getDescription().getValue()).contains("/api/v1/documents/");
        sourceFaults.set(GNT.facility(), new SandboxSourceFaults.Faults(0, 0.0, true, 0));
        assertThat(error(broker.getTransaction(request(RetrievalFixtures.GP, brokerId(slow), null))))
                .isEqualTo("SOURCE_UNAVAILABLE");

        // the unauthenticated refusal is counted, not written to the patient's trail (issue 12)
        assertThat(trail.forPatient(patient, 10, 0)).extracting(e -> e.face() + ":" + e.action() + ":" + e.reason())
                .containsExactly("soap:read:THERAPEUTIC_LINK", "soap:locate:THERAPEUTIC_LINK",
                        "soap:read:THERAPEUTIC_LINK", "soap:locate:THERAPEUTIC_LINK",
                        "soap:locate:UNKNOWN_DOCUMENT", "soap:locate:THERAPEUTIC_LINK",
                        "soap:locate:NO_THERAPEUTIC_LINK");
    }

    // ------------------------------------------------------------------ helpers

    IntraHubPortType broker() {
        IntraHubPortType port = HubClients.create(IntraHubPortType.class, URI.create(base() + "/services/intrahub/v3"),
                new HttpEndpoint("", Duration.ofSeconds(5), Duration.ofSeconds(60)),
                org.apache.cxf.annotations.SchemaValidation.SchemaValidationType.BOTH);
        Map<String, Object> context = ((BindingProvider) port).getRequestContext();
        context.put(BindingProvider.USERNAME_PROPERTY, "sandbox-client");
        context.put(BindingProvider.PASSWORD_PROPERTY, "sandbox-soap-secret");
        return port;
    }

    static IDKMEHR brokerId(String id) {
        return Kmehr.localId("record-broker.document-id", id);
    }

    static GetTransactionRequestType request(String nihii, IDKMEHR transactionId, String patient) {
        HcpartyType author = nihii == null ? Kmehr.applicationParty("some-software", "software")
                : Kmehr.professionalParty(nihii, null, "persphysician", "Dr", nihii);
        GetTransactionRequestType request = new GetTransactionRequestType();
        request.setRequest(Kmehr.request(author, OffsetDateTime.now()));
        SelectGetTransactionType select = new SelectGetTransactionType();
        // select/patient is required by the schema: with a broker document id, the id's own patient
        select.setPatient(Kmehr.patient(patient != null ? patient : patientOf(transactionId)));
        TransactionBaseType transaction = new TransactionBaseType();
        transaction.setId(transactionId);
        select.setTransaction(transaction);
        request.setSelect(select);
        return request;
    }

    private static String patientOf(IDKMEHR transactionId) {
        try {
            return RetrievalFixtures.SANDBOX_IDS.decode(transactionId.getValue()).patientSsin();
        } catch (RuntimeException e) {
            return RetrievalFixtures.freshPatient(); // an id that names no document: any patient
        }
    }

    static String error(GetTransactionResponseType answer) {
        assertThat(answer.getAcknowledge().isIscomplete()).isFalse();
        assertThat(answer.getKmehrmessage()).isNull();
        return answer.getAcknowledge().getError().get(0).getCd().get(0).getValue();
    }

    /** The same call as a hand-written envelope, to see the wire (MTOM or not). */
    HttpResponse<byte[]> raw(String id, String patient) throws Exception {
        String envelope = TestSoap.intraHubRequest("GetTransaction", TestSoap.patientSelect(patient)
                + "<c:transaction><c:id S=\"LOCAL\" SL=\"record-broker.document-id\" SV=\"1.0\">" + id
                + "</c:id></c:transaction>");
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/services/intrahub/v3"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetTransaction\"")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "sandbox-client:sandbox-soap-secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
