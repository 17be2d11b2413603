package be.recordbroker.kmehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.MarshalException;
import jakarta.xml.bind.Marshaller;

import org.junit.jupiter.api.Test;

import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetPatientAuditTrailType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.fgov.ehealth.standards.kmehr.schema.v1.TransactionType;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.DocumentStatus;
import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.HubStatus;
import be.recordbroker.domain.Institution;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchResult;
import be.recordbroker.domain.Ssin;
import be.recordbroker.search.SearchPage;
import be.recordbroker.soap.AuditTrailSoap;
import be.recordbroker.soap.TransactionListSoap;

/**
 * What we send is what we promise (issue 12): each message builder's output, marshalled and validated with
 * {@code javax.xml.validation} against the schemas the broker serves ({@code src/main/resources/wsdl}), with no SOAP
 * stack in between — so a builder that writes, say, a {@code familyname} without a {@code firstname} fails here, with
 * the schema's own message, before any client sees it.
 */
class KmehrSchemaValidityTest {

    private static final String PROTOCOL = "http://www.ehealth.fgov.be/hubservices/protocol/v3";
    private static final String KMEHR = "http://www.ehealth.fgov.be/standards/kmehr/schema/v1";
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.ofHours(1));
    private static final String SSIN = "93051822361";
    private static final String GP_NIHII = "12345625004";
    private static final HcpartyType BROKER = Kmehr.applicationParty("record-broker-app", "record-broker");

    private static final Schema PROTOCOL_SCHEMA = schema("wsdl/hubservices-protocol-v3.xsd");
    private static final Schema KMEHR_SCHEMA = schema("wsdl/kmehr-v1.xsd");

    @Test
    void aProfessionalKnownByOneNameIsWrittenAsName() throws Exception {
        // the interop finding: familyname without firstname is not one of the schema's choices
        HcpartyType party = Kmehr.actingParty(new Professional(Nihii.parse(GP_NIHII, NihiiValidation.LENIENT), null,
                "persphysician", "Verstraeten"));
        assertThat(party.getName()).isEqualTo("Verstraeten");
        assertThat(party.getFamilyname()).isNull();
        assertThat(party.getFirstname()).isNull();
        HcpartyType both = Kmehr.professionalParty(GP_NIHII, null, "persphysician", "An", "Verstraeten");
        assertThat(both.getFirstname()).isEqualTo("An");
        assertThat(both.getFamilyname()).isEqualTo("Verstraeten");
        assertThat(Kmehr.displayName(party)).isEqualTo("Verstraeten");
        assertThat(Kmehr.displayName(both)).isEqualTo("An Verstraeten");
    }

    @Test
    void getTransactionListAnswersValidate() throws Exception {
        GetTransactionListRequestType request = new GetTransactionListRequestType();
        request.setRequest(Kmehr.requestList(Kmehr.professionalParty(GP_NIHII, null, "persphysician", "An",
                "Verstraeten"), NOW));
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient(SSIN));
        request.setSelect(select);
        validProtocol("GetTransactionListRequest", request);

        SearchResult result = new SearchResult(Ssin.parse(SSIN), List.of(entry(true), entry(false)),
                List.of(new HubOutcome("rsb", HubStatus.OK, null, 12), new HubOutcome("cozo", HubStatus.TIMEOUT,
                        "no answer within 2s", 2000)));
        validProtocol("GetTransactionListResponse", TransactionListSoap.answer(request, BROKER,
                new SearchPage(result, 2, 0, 100, false), NOW, be.recordbroker.retrieve.RetrievalFixtures.SANDBOX_IDS));
        validProtocol("GetTransactionListResponse", TransactionListSoap.answer(request, BROKER,
                new SearchPage(new SearchResult(Ssin.parse(SSIN), List.of(), List.of()), 0, 0, 100, true), NOW,
                be.recordbroker.retrieve.RetrievalFixtures.SANDBOX_IDS));
        validProtocol("GetTransactionListResponse", TransactionListSoap.denied(request, BROKER,
                AccessDecision.deny(AccessReason.UNAUTHENTICATED, "no acting professional"), NOW));
    }

    @Test
    void auditTrailAnswersValidate() throws Exception {
        GetPatientAuditTrailRequestType request = new GetPatientAuditTrailRequestType();
        request.setRequest(Kmehr.requestList(Kmehr.professionalParty(null, SSIN, "patient", null, null), NOW));
        SelectGetPatientAuditTrailType select = new SelectGetPatientAuditTrailType();
        select.setPatient(Kmehr.patient(SSIN));
        request.setSelect(select);
        validProtocol("GetPatientAuditTrailRequest", request);

        List<AuditEvent> events = List.of(
                event(GP_NIHII, "An Verstraeten", AuditEvent.ALLOW, null),
                event(GP_NIHII, null, AuditEvent.ALLOW, "emergency: unconscious patient"),
                event(null, null, AuditEvent.ALLOW, null),
                event(GP_NIHII, "An Verstraeten", AuditEvent.DENY, null));
        validProtocol("GetPatientAuditTrailResponse", AuditTrailSoap.trail(request, BROKER, events, NOW,
                ZoneId.of("Europe/Brussels"), true));
        validProtocol("GetPatientAuditTrailResponse", AuditTrailSoap.denied(request, BROKER,
                AccessDecision.deny(AccessReason.UNAUTHENTICATED, "no acting professional"), NOW));
    }

    @Test
    void aWrappedDocumentIsValidKmehr() throws Exception {
        TransactionType transaction = new TransactionType();
        transaction.getId().add(Kmehr.idKmehr("1"));
        transaction.getId().add(Kmehr.localId("RSBID", "GEN-1"));
        transaction.getCd().add(Kmehr.cdTransaction("labresult"));
        transaction.setDate(Kmehr.date(NOW.toLocalDate()));
        transaction.setTime(Kmehr.time(NOW.toLocalTime()));
        transaction.setAuthor(Kmehr.author(Kmehr.professionalParty(GP_NIHII, null, "persphysician", null, "Verstraeten"),
                Kmehr.organisationParty("71000040", "orghospital", "Sandbox Hospital Brussels")));
        transaction.setIscomplete(true);
        transaction.setIsvalidated(true);
        for (String mime : List.of("application/pdf", "text/plain", "application/x-unknown")) {
            KmehrmessageType message = KmehrMessages.wrap("%PDF-1.4".getBytes(StandardCharsets.US_ASCII), mime,
                    Kmehr.person(SSIN, null, null, null), transaction,
                    Kmehr.organisationParty("71000040", "orghospital", "Sandbox Hospital Brussels"),
                    Kmehr.actingParty(new Professional(null, Ssin.parse(SSIN), "patient", "the patient")),
                    "71000040.GEN-1", NOW);
            byte[] xml = KmehrMessages.write(message);
            KMEHR_SCHEMA.newValidator().validate(new javax.xml.transform.stream.StreamSource(
                    new java.io.ByteArrayInputStream(xml)));
        }
    }

    @Test
    void aDeclarationTheBrokerSendsValidates() throws Exception {
        List<Object> sent = new ArrayList<>();
        IntraHubPortType capturing = (IntraHubPortType) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {IntraHubPortType.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(this, args);
                    }
                    sent.add(args[0]);
                    Class<?> answer = method.getReturnType();
                    Object response = answer.getConstructor().newInstance();
                    answer.getMethod("setAcknowledge", be.fgov.ehealth.hubservices.core.v3.AcknowledgeType.class)
                            .invoke(response, Kmehr.complete());
                    return response;
                });
        be.fgov.ehealth.standards.kmehr.schema.v1.PersonType person = Kmehr.person(SSIN, "Jan", "Peeters", "M");
        be.recordbroker.domain.Hub rsb = new be.recordbroker.domain.Hub("rsb", "1990000728", "RSBID", "RSB");
        List<be.recordbroker.network.HubEndpoint> hubs = List.of(new be.recordbroker.network.HubEndpoint(rsb,
                new be.recordbroker.network.HttpEndpoint("/x", java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(1))));
        be.recordbroker.network.Network network = new be.recordbroker.network.Network(
                be.recordbroker.domain.HubDirectory.of(List.of(rsb)), hubs,
                new be.recordbroker.network.HttpEndpoint("/m", java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(1)), List.of());
        HubClients clients = new HubClients(network, null) {
            @Override
            public IntraHubPortType hub(String code) {
                return capturing;
            }
        };
        HubDeclarer declarer = new HubDeclarer(clients, network, Clock.fixed(NOW.toInstant(), ZoneOffset.UTC));
        String hub = "rsb";
        for (DocumentDeclaration.AuthorRef author : new DocumentDeclaration.AuthorRef[] {
                new DocumentDeclaration.AuthorRef(GP_NIHII, "Verstraeten", "An"),
                new DocumentDeclaration.AuthorRef(GP_NIHII, "Verstraeten", null),
                new DocumentDeclaration.AuthorRef(GP_NIHII, null, "An"),
                new DocumentDeclaration.AuthorRef(GP_NIHII, null, null)}) {
            declarer.declare(hub, new DocumentDeclaration("SANDBOX-BRU", "71000040", "Sandbox Hospital Brussels",
                    Ssin.parse(SSIN), "GEN-7", "labresult", "Lab", NOW, author,
                    new DocumentDeclaration.ContentFingerprint("a".repeat(64), 10, "application/pdf"), "GEN-7"));
        }
        declarer.revoke(hub, SSIN, "GEN-7", "71000040", "Sandbox Hospital Brussels");
        declarer.putPatient(hub, person, "71000040", "Sandbox Hospital Brussels");
        assertThat(sent).hasSize(6);
        for (Object request : sent) {
            String element = request.getClass().getSimpleName().replaceFirst("Type$", "");
            validProtocol(element, request);
        }
    }

    @Test
    void anInvalidPartyIsCaughtByTheSchema() {
        // the check itself bites: the old shape (familyname alone) is refused
        HcpartyType old = new HcpartyType();
        old.getId().add(Kmehr.hcpartyId(be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes.ID_HCPARTY, GP_NIHII));
        old.getCd().add(Kmehr.cdHcparty("persphysician"));
        old.setFamilyname("Verstraeten");
        GetTransactionListRequestType request = new GetTransactionListRequestType();
        request.setRequest(Kmehr.requestList(old, NOW));
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient(SSIN));
        request.setSelect(select);
        assertThatThrownBy(() -> validProtocol("GetTransactionListRequest", request))
                .isInstanceOf(MarshalException.class)
                .hasStackTraceContaining("cvc-complex-type");
    }

    // ------------------------------------------------------------------ helpers

    private static DocumentEntry entry(boolean withAuthorNames) {
        Professional author = withAuthorNames
                ? new Professional(Nihii.parse(GP_NIHII, NihiiValidation.LENIENT), null, "persphysician", "An Verstraeten")
                : null;
        return new DocumentEntry(new DocumentId("1990000035", SSIN, "RSBID", withAuthorNames ? "GEN-1" : "GEN-2"),
                Ssin.parse(SSIN), "labresult", "Lab result", NOW, author,
                new Institution(Nihii.parse("71000040", NihiiValidation.LENIENT), "Sandbox Hospital Brussels"),
                "SANDBOX-BRU", "application/pdf", withAuthorNames ? 1234L : null,
                withAuthorNames ? "b".repeat(64) : null, DocumentStatus.AVAILABLE);
    }

    private static AuditEvent event(String nihii, String name, String decision, String breakTheGlass) {
        return new AuditEvent(1, Instant.parse("2026-03-01T09:00:00Z"), "req-1", "soap", nihii, null,
                nihii == null ? null : "persphysician", name, SSIN, "AUDIT_TRAIL", null, null, decision,
                "THERAPEUTIC_LINK", breakTheGlass, "sandbox-client", null, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void validProtocol(String element, Object value) throws Exception {
        Marshaller marshaller = JAXBContext.newInstance(be.fgov.ehealth.hubservices.protocol.v3.ObjectFactory.class)
                .createMarshaller();
        marshaller.setSchema(PROTOCOL_SCHEMA); // throws MarshalException on the first schema error
        marshaller.marshal(new JAXBElement(new QName(PROTOCOL, element), value.getClass(), value), new StringWriter());
    }

    private static Schema schema(String resource) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            return factory.newSchema(KmehrSchemaValidityTest.class.getClassLoader().getResource(resource));
        } catch (org.xml.sax.SAXException e) {
            throw new IllegalStateException(e);
        }
    }
}
