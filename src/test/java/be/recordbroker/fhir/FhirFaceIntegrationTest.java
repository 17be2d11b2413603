package be.recordbroker.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.SearchStyleEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.retrieve.RetrievalFixtures;
import be.recordbroker.sandbox.SandboxFaults;

/**
 * The FHIR face end to end with HAPI's generic client (a client nobody here wrote): the CapabilityStatement, ITI-67
 * search by GET and POST with paging to the end, ITI-68 retrieval of every attachment byte for byte, an
 * OperationOutcome with its reason code for each refusal, partial results with a hub down, the patient's audit
 * trail as AuditEvents. Every resource the face returns validates with HAPI's R4 validator.
 */
class FhirFaceIntegrationTest extends SandboxIntegrationTest {

    static final String OLIVIA = "78040814421";
    static final String GP = RetrievalFixtures.GP;
    static final String SSIN = DocumentReferences.SSIN_SYSTEM;

    final FhirContext fhir = FhirContext.forR4Cached();

    @Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry circuits;

    String gpToken;

    @BeforeEach
    void tokens() throws Exception {
        gpToken = token(GP, "persphysician", "An Verstraeten");
    }

    @AfterEach
    void resetCircuits() {
        // shared by every test of this context: leave them as found (a slow hub on a busy machine counts as failure)
        circuits.getAllCircuitBreakers().forEach(io.github.resilience4j.circuitbreaker.CircuitBreaker::reset);
    }

    IGenericClient client(String token) {
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setSocketTimeout(30_000);
        IGenericClient client = fhir.newRestfulGenericClient(base() + "/fhir");
        if (token != null) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        }
        return client;
    }

    static TokenClientParam patientIdentifier() {
        return new TokenClientParam("patient.identifier");
    }

    // ------------------------------------------------------------------ capability

    @Test
    void theCapabilityStatementSaysWhatIsServedWithTheMhdDocumentResponderClaim() {
        CapabilityStatement statement = client(gpToken).capabilities().ofType(CapabilityStatement.class).execute();

        FhirValidation.assertValid(statement);
        assertThat(statement.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(statement.getInstantiates()).extracting(c -> c.getValue())
                .containsExactly(FhirServer.MHD_DOCUMENT_RESPONDER);
        assertThat(statement.getFormat()).extracting(c -> c.getValue()).contains("application/fhir+json", "xml");
        List<CapabilityStatementRestResourceComponent> resources = statement.getRestFirstRep().getResource();
        assertThat(resources).extracting(CapabilityStatementRestResourceComponent::getType)
                // OperationDefinition: HAPI's own read of the definitions of the operations it serves
                .containsExactlyInAnyOrder("DocumentReference", "AuditEvent", "OperationDefinition");
        CapabilityStatementRestResourceComponent documents = resources.stream()
                .filter(r -> r.getType().equals("DocumentReference")).findFirst().orElseThrow();
        assertThat(documents.getInteraction()).extracting(i -> i.getCode().toCode()).containsExactly("search-type");
        assertThat(documents.getSearchParam()).extracting(CapabilityStatementRestResourceSearchParamComponent::getName)
                .contains("patient", "status", "type", "category", "date");
        assertThat(statement.getRestFirstRep().getDocumentation()).contains("ITI-68", "documents/");
    }

    // ------------------------------------------------------------------ ITI-67

    @Test
    void searchByGetPagesToTheEndWithTheRestFacesDocumentsInItsOrder() throws Exception {
        JsonNode rest = json.readTree(get("/api/v1/patients/" + OLIVIA + "/documents?pageSize=500", gpToken).body());
        List<String> restIds = new ArrayList<>();
        rest.path("documents").forEach(d -> restIds.add(d.path("id").asText()));
        assertThat(restIds).hasSizeGreaterThan(2);

        IGenericClient client = client(gpToken);
        Bundle page = client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .count(2).returnBundle(Bundle.class).execute();
        List<String> fhirIds = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            FhirValidation.assertValid(page);
            assertThat(page.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
            assertThat(page.getTotal()).isEqualTo(restIds.size());
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                assertThat(entry.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
                DocumentReference ref = (DocumentReference) entry.getResource();
                fhirIds.add(documentId(ref));
                assertDocumentReference(ref);
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = client.loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo((restIds.size() + 1) / 2);
        assertThat(fhirIds).containsExactlyElementsOf(restIds);
    }

    @Test
    void aPostSearchsPageLinksNameNoPatientAndAreAuditedSearchesOfTheirOwnCaller() throws Exception {
        IGenericClient client = client(gpToken);
        List<String> all = ids(client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .returnBundle(Bundle.class).execute());
        assertThat(all).hasSizeGreaterThan(3);
        Bundle first = client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .count(2).usingStyle(SearchStyleEnum.POST).returnBundle(Bundle.class).execute();
        String next = first.getLink(Bundle.LINK_NEXT).getUrl();
        assertThat(next).contains(PageLinks.PARAMETER + "=").doesNotContain(OLIVIA).doesNotContain("patient");
        assertThat(first.getLink(Bundle.LINK_PREV)).isNull();

        Bundle second = client.loadPage().next(first).execute();
        FhirValidation.assertValid(second);
        assertThat(ids(second)).containsExactlyElementsOf(all.subList(2, 4));
        assertThat(second.getTotal()).isEqualTo(all.size());
        assertThat(second.getLink(Bundle.LINK_PREV).getUrl()).doesNotContain(OLIVIA);
        assertThat(second.getLink(Bundle.LINK_SELF).getUrl()).isEqualTo(next);
        assertThat(ids(client.loadPage().previous(second).execute())).containsExactlyElementsOf(all.subList(0, 2));

        // following a link is a search of its own, audited in the patient's trail like the first page
        String path = next.substring(next.indexOf("/fhir/"));
        HttpResponse<String> followed = get(path + "&_format=json", gpToken);
        assertThat(followed.statusCode()).as(followed.body()).isEqualTo(200);
        String requestId = followed.headers().firstValue("X-Request-Id").orElseThrow();
        String olivia = token(null, "patient", "Olivia Janssens", OLIVIA);
        JsonNode trail = json.readTree(get("/api/v1/patients/" + OLIVIA + "/audit", olivia).body());
        assertThat(trail.path("entries").findParents("requestId")).filteredOn(e -> requestId.equals(e.path("requestId")
                .asText())).singleElement().satisfies(e -> {
                    assertThat(e.path("face").asText()).isEqualTo("fhir");
                    assertThat(e.path("action").asText()).isEqualTo("search");
                    assertThat(e.path("actor").path("nihii").asText()).isEqualTo(GP);
                });
        // the link is its caller's: another professional gets a 400, and cannot change what is inside it
        String colleague = token("14567816000", "persphysician", "Sarah Haddad");
        assertOutcome(get(path, colleague), 400, "INVALID_PARAMETER");
        String token = path.substring(path.indexOf('=') + 1);
        String altered = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);
        assertOutcome(get("/fhir/DocumentReference?" + PageLinks.PARAMETER + "=" + altered, gpToken), 400,
                "INVALID_PARAMETER");
        assertOutcome(get(path + "&_count=3", gpToken), 400, "INVALID_PARAMETER");
        // a GET search's links are sealed too (its own URL named the patient: the caller's choice, not the links')
        Bundle byGet = client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA)).count(2)
                .returnBundle(Bundle.class).execute();
        assertThat(byGet.getLink(Bundle.LINK_NEXT).getUrl()).doesNotContain(OLIVIA);
    }

    @Test
    void searchByPostAnswersAsGetDoesAndFiltersByTypeAndDate() throws Exception {
        IGenericClient client = client(gpToken);
        Bundle get = client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .returnBundle(Bundle.class).execute();
        Bundle post = client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .usingStyle(SearchStyleEnum.POST).returnBundle(Bundle.class).execute();
        FhirValidation.assertValid(post);
        assertThat(ids(post)).isNotEmpty().containsExactlyElementsOf(ids(get));

        Bundle labs = client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .and(DocumentReference.TYPE.exactly().systemAndCode(DocumentReferences.CD_TRANSACTION, "labresult"))
                .and(DocumentReference.STATUS.exactly().code("current"))
                .usingStyle(SearchStyleEnum.POST).returnBundle(Bundle.class).execute();
        assertThat(labs.getEntry()).isNotEmpty().allSatisfy(e -> assertThat(((DocumentReference) e.getResource())
                .getType().getCodingFirstRep().getCode()).isEqualTo("labresult"));
        assertThat(labs.getTotal()).isLessThan(get.getTotal());

        DocumentReference newest = (DocumentReference) get.getEntryFirstRep().getResource();
        String day = new java.text.SimpleDateFormat("yyyy-MM-dd").format(newest.getDate());
        Bundle sinceNewest = client.search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .and(DocumentReference.DATE.afterOrEquals().day(day))
                .returnBundle(Bundle.class).execute();
        assertThat(ids(sinceNewest)).contains(documentId(newest)).hasSizeLessThan(get.getTotal());
    }

    @Test
    void aSearchAnswerIsSentWholeWithItsLengthAsTheRestFacesIs() throws Exception {
        HttpResponse<String> answer = search("patient.identifier=" + enc(SSIN + "|" + OLIVIA), gpToken);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(answer.headers().firstValueAsLong("Content-Length"))
                .hasValue(answer.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        assertThat(answer.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(fhir.newJsonParser().parseResource(Bundle.class, answer.body()).getEntry()).isNotEmpty();
    }

    @Test
    void aHubDownGivesOneOutcomeEntryNamingIt() {
        faults.set("cozo", new SandboxFaults.Faults(0, 0.0, true));
        Bundle bundle = client(gpToken).search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .returnBundle(Bundle.class).execute();

        FhirValidation.assertValid(bundle);
        List<Bundle.BundleEntryComponent> outcomes = bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME).toList();
        assertThat(outcomes).singleElement().satisfies(e -> {
            OperationOutcome outcome = (OperationOutcome) e.getResource();
            assertThat(outcome.getIssue()).singleElement().satisfies(issue -> {
                assertThat(issue.getDetails().getText()).isEqualTo("cozo");
                assertThat(issue.getDetails().getCodingFirstRep().getCode()).isIn("error", "timeout");
                assertThat(issue.getDiagnostics()).startsWith("hub cozo: ");
            });
        });
        assertThat(bundle.getEntry()).filteredOn(e -> e.getResource() instanceof DocumentReference).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getResource().getMeta().getSource()).isEqualTo("urn:record-broker:hub:rsb"));
    }

    // ------------------------------------------------------------------ ITI-68

    @Test
    void everyAttachmentOfASeedPatientArrivesByteForByteAsTheRestFaceGivesIt() throws Exception {
        Bundle bundle = client(gpToken).search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, OLIVIA))
                .count(500).returnBundle(Bundle.class).execute();
        assertThat(bundle.getEntry()).hasSizeGreaterThan(2);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            DocumentReference ref = (DocumentReference) entry.getResource();
            var attachment = ref.getContentFirstRep().getAttachment();
            assertThat(attachment.getUrl()).isEqualTo(base() + "/fhir/documents/" + documentId(ref));
            HttpResponse<InputStream> viaFhir = http.send(HttpRequest.newBuilder(URI.create(attachment.getUrl()))
                    .header("Authorization", "Bearer " + gpToken).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(viaFhir.statusCode()).isEqualTo(200);
            RetrievalFixtures.Digest fhirBytes = RetrievalFixtures.digest(viaFhir.body());
            HttpResponse<InputStream> viaRest = http.send(HttpRequest.newBuilder(URI.create(base()
                    + "/api/v1/documents/" + documentId(ref))).header("Authorization", "Bearer " + gpToken).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(viaRest.statusCode()).isEqualTo(200);
            assertThat(fhirBytes).isEqualTo(RetrievalFixtures.digest(viaRest.body()));
            assertThat(viaFhir.headers().firstValue("Content-Type"))
                    .isEqualTo(viaRest.headers().firstValue("Content-Type"));
            assertThat(viaFhir.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith(attachment.getContentType());
            // attachment.size is the size the hub declared, as the REST face's "size" (not always the bytes served:
            // see the report); the bytes' own length is the source's Content-Length
            assertThat(viaFhir.headers().firstValueAsLong("Content-Length")).hasValue(fhirBytes.bytes());
        }
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void anAnonymousCallerGetsA401OperationOutcomeEverywhere() throws Exception {
        for (String path : List.of("/fhir/metadata", "/fhir/DocumentReference?patient.identifier="
                + URLEncoder.encode(SSIN + "|" + OLIVIA, StandardCharsets.UTF_8), "/fhir/documents/x",
                "/fhir/AuditEvent")) {
            HttpResponse<String> answer = get(path, null);
            assertOutcome(answer, 401, "UNAUTHENTICATED");
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertOutcome(get("/fhir/metadata", "not.a.token"), 401, "UNAUTHENTICATED");
        assertThatThrownBy(() -> client(null).capabilities().ofType(CapabilityStatement.class).execute())
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void eachRefusalIsAnOperationOutcomeWithTheReasonCodeOfTheRestFace() throws Exception {
        String noConsent = freshPatient();
        assertOutcome(search("patient.identifier=" + enc(SSIN + "|" + noConsent), gpToken), 403, "NO_CONSENT");
        assertOutcome(search("patient.identifier=" + enc(SSIN + "|12345678901"), gpToken), 400, "INVALID_SSIN");
        assertOutcome(search("patient.identifier=" + enc("urn:other|" + OLIVIA), gpToken), 400, "INVALID_PARAMETER");
        assertOutcome(search("patient.identifier=" + enc(SSIN + "|" + OLIVIA) + "&unknown=1", gpToken), 400,
                "INVALID_PARAMETER");
        assertOutcome(search("patient.identifier=" + enc(SSIN + "|" + OLIVIA) + "&date=gt2020-01-01", gpToken), 400,
                "INVALID_PARAMETER");
        assertOutcome(search("patient.identifier=" + enc(SSIN + "|" + OLIVIA) + "&_count=501", gpToken), 400,
                "INVALID_PARAMETER");
        assertOutcome(search("patient=Patient/1", gpToken), 400, "INVALID_PARAMETER");
        // an offset whose next page would overflow an int
        assertOutcome(search("patient.identifier=" + enc(SSIN + "|" + OLIVIA) + "&_count=10&_offset=2147483640",
                gpToken), 400, "INVALID_PARAMETER");
        assertOutcome(get("/fhir/AuditEvent?patient.identifier=" + enc(SSIN + "|" + OLIVIA) + "&_offset=2147483640",
                gpToken), 400, "INVALID_PARAMETER");
        assertOutcome(search("patient.identifier=" + enc(SSIN + "|" + OLIVIA) + "&status=deleted", gpToken), 400,
                "INVALID_PARAMETER");
        String excluded = token("14567816000", "persphysician", "Sarah Haddad");
        HttpResponse<String> btg = http.send(HttpRequest.newBuilder(URI.create(base()
                + "/fhir/DocumentReference?patient.identifier=" + enc(SSIN + "|" + OLIVIA)))
                .header("Authorization", "Bearer " + excluded)
                .header("X-Break-The-Glass", "Unconscious patient at the emergency department").build(),
                HttpResponse.BodyHandlers.ofString());
        assertOutcome(btg, 403, "EXCLUDED");
        assertOutcome(get("/fhir/documents/not-a-document-id", gpToken), 400, "INVALID_DOCUMENT_ID");
        assertOutcome(get("/fhir/Patient?name=x", gpToken), 404, "NOT_FOUND");
        // the generic client sees them as HAPI's exceptions, with the outcome
        assertThatThrownBy(() -> client(gpToken).search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, noConsent)).returnBundle(Bundle.class).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .satisfies(e -> assertThat(reason((OperationOutcome) ((BaseServerResponseException) e)
                        .getOperationOutcome())).isEqualTo("NO_CONSENT"));
        assertThatThrownBy(() -> client(gpToken).search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, "1")).returnBundle(Bundle.class).execute())
                .isInstanceOf(InvalidRequestException.class);
    }

    // ------------------------------------------------------------------ the audit trail

    @Test
    void thePatientReadsHerTrailAsAuditEventsAndAProfessionalIsRefused() throws Exception {
        String patient = new RetrievalFixtures(base()).patientWithGp();
        client(gpToken).search().forResource(DocumentReference.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, patient)).returnBundle(Bundle.class).execute();
        String self = token(null, "patient", "Fresh Patient", patient);

        Bundle trail = client(self).search().forResource(AuditEvent.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, patient)).returnBundle(Bundle.class).execute();

        FhirValidation.assertValid(trail);
        JsonNode rest = json.readTree(get("/api/v1/patients/" + patient + "/audit", self).body());
        List<String> restSeqs = new ArrayList<>();
        rest.path("entries").forEach(e -> restSeqs.add(e.path("seq").asText()));
        List<String> fhirSeqs = trail.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
        // the REST read of the trail is itself a newer row; the FHIR read's row is in both
        assertThat(restSeqs).containsSubsequence(fhirSeqs);
        AuditEvent search = trail.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getSubtypeFirstRep().getCode().equals("search")).findFirst().orElseThrow();
        assertThat(search.getSource().getSite()).isEqualTo("fhir");
        assertThat(search.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(search.getOutcomeDesc()).isEqualTo("THERAPEUTIC_LINK");
        assertThat(search.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(GP);

        // the trail's page links name no patient, and are the patient's own: a professional following one is refused
        Bundle firstRow = client(self).search().forResource(AuditEvent.class)
                .where(patientIdentifier().exactly().systemAndCode(SSIN, patient)).count(1)
                .returnBundle(Bundle.class).execute();
        String next = firstRow.getLink(Bundle.LINK_NEXT).getUrl();
        assertThat(next).contains(PageLinks.PARAMETER + "=").doesNotContain(patient);
        assertThat(client(self).loadPage().next(firstRow).execute().getEntry()).singleElement()
                .satisfies(e -> assertThat(e.getResource()).isInstanceOf(AuditEvent.class));
        assertOutcome(get(next.substring(next.indexOf("/fhir/")), gpToken), 400, "INVALID_PARAMETER");

        assertOutcome(get("/fhir/AuditEvent?patient.identifier=" + enc(SSIN + "|" + patient), gpToken), 403,
                "AUDIT_TRAIL_PATIENT_ONLY");
    }

    // ------------------------------------------------------------------ helpers

    void assertDocumentReference(DocumentReference ref) {
        assertThat(ref.getIdElement().getIdPart()).matches("[0-9a-f]{32}");
        assertThat(ref.getMasterIdentifier().getValue()).isNotBlank();
        assertThat(ref.getStatus().toCode()).isEqualTo("current");
        assertThat(ref.getType().getCodingFirstRep().getSystem()).isEqualTo(DocumentReferences.CD_TRANSACTION);
        assertThat(ref.getSubject().getIdentifier().getValue()).isEqualTo(OLIVIA);
        assertThat(ref.getDate()).isNotNull();
        assertThat(ref.getMeta().getSource()).startsWith("urn:record-broker:hub:");
        assertThat(ref.getContentFirstRep().getAttachment().getContentType()).isNotBlank();
        assertThat(ref.getContentFirstRep().getAttachment().getUrl()).contains("/fhir/documents/");
    }

    static String documentId(DocumentReference ref) {
        return ref.getIdentifier().stream().filter(i -> DocumentReferences.DOCUMENT_ID_SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue).findFirst().orElseThrow();
    }

    static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getResource() instanceof DocumentReference)
                .map(e -> documentId((DocumentReference) e.getResource())).toList();
    }

    HttpResponse<String> search(String query, String token) throws Exception {
        return get("/fhir/DocumentReference?" + query, token);
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    void assertOutcome(HttpResponse<String> answer, int status, String reason) {
        assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+json");
        OperationOutcome outcome = fhir.newJsonParser().parseResource(OperationOutcome.class, answer.body());
        FhirValidation.assertValid(outcome);
        assertThat(reason(outcome)).as(answer.body()).isEqualTo(reason);
        String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(outcome.getExtensionByUrl(FhirOutcomes.REQUEST_ID_EXTENSION).getValue().primitiveValue())
                .isEqualTo(requestId);
    }

    static String reason(OperationOutcome outcome) {
        return outcome.getIssueFirstRep().getDetails().getCoding().stream()
                .filter(c -> FhirOutcomes.REASON_SYSTEM.equals(c.getSystem())).map(c -> c.getCode())
                .findFirst().orElse(null);
    }
}
