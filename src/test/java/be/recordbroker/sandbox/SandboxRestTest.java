package be.recordbroker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import javax.xml.parsers.DocumentBuilderFactory;

import be.recordbroker.TestSoap;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.Ssin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** End-to-end tests of the sandbox's REST face: the seed, the REST document sources, the fault knobs and demo tokens. */
class SandboxRestTest extends SandboxIntegrationTest {

    private static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    // ---------------------------------------------------------------------------------------------------------------
    // 1. GET /sandbox/seed


    @Test
    void seedListsAtLeastTwentyPatientsEachWithAValidSsin() throws Exception {
        JsonNode patients = seed().path("patients");

        assertThat(patients.size()).isGreaterThanOrEqualTo(20);
        for (JsonNode p : patients) {
            String ssin = p.path("ssin").asText(null);
            assertThatCode(() -> Ssin.parse(ssin)).as("ssin of %s %s", p.path("firstName").asText(),
                    p.path("lastName").asText()).doesNotThrowAnyException();
        }
        assertThat(stream(patients).map(p -> p.path("ssin").asText()).distinct().count())
                .as("distinct SSINs").isEqualTo(patients.size());
    }

    @Test
    void seedHasAPatientKnownToTwoHubs() throws Exception {
        JsonNode seed = seed();
        Set<String> hubCodes = hubCodes(seed);

        List<JsonNode> multiHub = stream(seed.path("patients")).filter(p -> p.path("hubs").size() >= 2).toList();

        assertThat(multiHub).isNotEmpty();
        for (JsonNode p : multiHub) {
            Set<String> hubs = new HashSet<>();
            p.path("hubs").forEach(h -> hubs.add(h.asText()));
            assertThat(hubs).as("hubs of a multi-hub patient").hasSizeGreaterThanOrEqualTo(2);
            assertThat(hubCodes).containsAll(hubs);
        }
    }

    @Test
    void seedHasExactlyOneRevokedConsentAndExactlyOnePatientWithoutConsent() throws Exception {
        JsonNode patients = seed().path("patients");

        List<JsonNode> revoked = stream(patients).filter(p -> hasConsent(p)
                && p.path("consent").hasNonNull("revokeDate")).toList();
        List<JsonNode> withoutConsent = stream(patients).filter(p -> !hasConsent(p)).toList();

        assertThat(revoked).hasSize(1);
        assertThat(revoked.get(0).path("consent").path("active").isBoolean()).isTrue();
        assertThat(revoked.get(0).path("consent").path("active").asBoolean()).isFalse();
        assertThat(withoutConsent).hasSize(1);
        assertThat(revoked.get(0).path("ssin").asText()).isNotEqualTo(withoutConsent.get(0).path("ssin").asText());
        // everybody else has a consent in force
        assertThat(stream(patients).filter(p -> hasConsent(p) && !p.path("consent").hasNonNull("revokeDate")))
                .allSatisfy(p -> assertThat(p.path("consent").path("active").asBoolean())
                        .as("consent of %s", p.path("ssin").asText()).isTrue());
    }

    @Test
    void seedHasAnExpiredTherapeuticLinkAndAnExclusion() throws Exception {
        JsonNode patients = seed().path("patients");

        List<JsonNode> links = stream(patients).flatMap(p -> stream(p.path("therapeuticLinks"))).toList();
        List<JsonNode> expired = links.stream().filter(l -> l.path("active").isBoolean()
                && !l.path("active").asBoolean()).toList();
        List<JsonNode> exclusions = stream(patients).flatMap(p -> stream(p.path("exclusions"))).toList();

        assertThat(expired).isNotEmpty();
        assertThat(expired).allSatisfy(l -> assertThat(l.hasNonNull("endDate")).as("an expired link has an end date")
                .isTrue());
        assertThat(exclusions).isNotEmpty();
        assertThat(exclusions).allSatisfy(e -> assertThat(e.path("professional").asText()).isNotBlank());
    }

    @Test
    void seedHasDocumentsOfTheMainTypesIncludingALargePdfAndAKmehrSumehr() throws Exception {
        JsonNode documents = seed().path("documents");

        Set<String> types = new HashSet<>();
        documents.forEach(d -> types.add(d.path("type").asText()));
        assertThat(types).contains("sumehr", "labresult", "contactreport");
        assertThat(stream(documents).filter(d -> "application/pdf".equals(d.path("mimeType").asText())
                && d.path("size").asLong() > 1024 * 1024)).hasSize(1);
        assertThat(stream(documents).filter(d -> "text/xml".equals(d.path("mimeType").asText())
                && "sumehr".equals(d.path("type").asText()))).isNotEmpty();
    }

    @Test
    void seedDocumentIdsDecodeToTheirHubsEhpIdSourceLabelAndLocalIdToItsHubsEhpIdSourceLabelAndLocalId() throws Exception {
        JsonNode seed = seed();
        Map<String, JsonNode> hubs = new HashMap<>();
        seed.path("hubs").forEach(h -> hubs.put(h.path("code").asText(), h));
        JsonNode documents = seed.path("documents");

        assertThat(documents.size()).isPositive();
        for (JsonNode d : documents) {
            JsonNode hub = hubs.get(d.path("hub").asText());
            assertThat(hub).as("hub of %s", d.path("localId").asText()).isNotNull();

            // sealed under the broker's key: opaque (no SSIN readable in it), opened only by the broker's codec
            assertThat(d.path("id").asText()).doesNotContain(d.path("patient").asText());
            DocumentId id = be.recordbroker.retrieve.RetrievalFixtures.SANDBOX_IDS.decode(d.path("id").asText());

            assertThat(id).isEqualTo(new DocumentId(hub.path("ehpId").asText(), d.path("patient").asText(), hub.path("sourceLabel").asText(),
                    d.path("localId").asText()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. The REST document source


    @Test
    void sourceServesTheLargePdfWithItsDeclaredTypeSizeAndHash() throws Exception {
        JsonNode pdf = onlyDocument(d -> "SANDBOX-BRU".equals(d.path("hospital").asText())
                && "application/pdf".equals(d.path("mimeType").asText()) && d.path("size").asLong() > 1024 * 1024);

        HttpResponse<byte[]> response = get("/sandbox/hospitals/SANDBOX-BRU/documents/" + pdf.path("localId").asText());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/pdf"));
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(pdf.path("size").asLong());
        assertThat(response.body()).hasSize((int) pdf.path("size").asLong());
        assertThat(new String(response.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(sha256(response.body())).isEqualTo(pdf.path("sha256").asText());
    }

    @Test
    void sourceServesATextDocumentWithItsDeclaredHash() throws Exception {
        JsonNode text = seedDocuments(d -> "SANDBOX-BRU".equals(d.path("hospital").asText())
                && "text/plain".equals(d.path("mimeType").asText())).get(0);

        HttpResponse<byte[]> response = get("/sandbox/hospitals/SANDBOX-BRU/documents/" + text.path("localId").asText());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(response.body()).hasSize((int) text.path("size").asLong());
        assertThat(sha256(response.body())).isEqualTo(text.path("sha256").asText());
    }

    @Test
    void sourceStreamsAGeneratedDocumentOfTheRequestedSizeWithItsCanaryOnceAndDeterministically() throws Exception {
        String path = "/sandbox/hospitals/SANDBOX-BRU/documents/GEN-10485760-7-CANARYXYZ";

        HttpResponse<byte[]> first = get(path);
        HttpResponse<byte[]> second = get(path);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValueAsLong("Content-Length")).hasValue(10_485_760L);
        assertThat(first.body().length).isEqualTo(10_485_760);
        assertThat(occurrences(first.body(), "CANARYXYZ".getBytes(StandardCharsets.US_ASCII))).isEqualTo(1);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(sha256(second.body())).isEqualTo(sha256(first.body()));
    }

    @Test
    void sourceUnknownDocumentIsA404ProblemWithReasonUnknownDocument() throws Exception {
        HttpResponse<byte[]> response = get("/sandbox/hospitals/SANDBOX-BRU/documents/NO-SUCH-DOCUMENT");

        assertProblem(response, 404, "UNKNOWN_DOCUMENT");
    }

    @Test
    void sourceUnknownHospitalIsA404ProblemWithReasonUnknownSource() throws Exception {
        String someLocalId = seedDocuments(d -> true).get(0).path("localId").asText();

        HttpResponse<byte[]> response = get("/sandbox/hospitals/SANDBOX-NOWHERE/documents/" + someLocalId);

        assertProblem(response, 404, "UNKNOWN_SOURCE");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Fault knobs


    @Test
    void faultsNoneSetAHubAnswersTheSoapCall() throws Exception {
        HttpResponse<byte[]> response = soapCall("cozo");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(soapFaults(response.body()).getLength()).isZero();
    }

    @Test
    void faultsDownHubIsDegradedInHealthWhileTheOthersStayUp() throws Exception {
        assertThat(putFaults("cozo", "{\"down\":true}").statusCode()).isEqualTo(200);

        HttpResponse<String> response = opsGet("/actuator/health");
        JsonNode health = json.readTree(response.body());

        assertThat(response.statusCode()).as("DEGRADED maps to HTTP 200").isEqualTo(200);
        JsonNode hubs = health.path("components").path("hubs").path("components");
        assertThat(hubs.path("cozo").path("status").asText()).isEqualTo("DEGRADED");
        assertThat(hubs.path("rsb").path("status").asText()).isEqualTo("UP");
        assertThat(hubs.path("rsw").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("hubs").path("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.path("status").asText()).as("a degraded hub degrades the broker").isEqualTo("DEGRADED");
    }

    @Test
    void faultsDownHubAnswers503() throws Exception {
        putFaults("cozo", "{\"down\":true}");

        HttpResponse<byte[]> response = soapCall("cozo");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(soapCall("rsb").statusCode()).as("another hub is unaffected").isEqualTo(200);
    }

    @Test
    void faultsLatencyDelaysTheHubsAnswer() throws Exception {
        assertThat(putFaults("cozo", "{\"latencyMs\":200}").statusCode()).isEqualTo(200);

        long start = System.nanoTime();
        HttpResponse<byte[]> response = soapCall("cozo");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tookMs).isGreaterThanOrEqualTo(200);
    }

    @Test
    void faultsErrorRateOneAnswersEveryCallWithASoapServerFault() throws Exception {
        assertThat(putFaults("cozo", "{\"errorRate\":1.0}").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> response = soapCall("cozo");

        assertThat(response.statusCode()).isEqualTo(500);
        NodeList fault = soapFaults(response.body());
        assertThat(fault.getLength()).isEqualTo(1);
        Element faultcode = (Element) ((Element) fault.item(0)).getElementsByTagName("faultcode").item(0);
        assertThat(faultcode).isNotNull();
        assertThat(faultcode.getTextContent()).endsWith(":Server");
    }

    @Test
    void faultsKnobsCanBeReadBack() throws Exception {
        putFaults("rsw", "{\"latencyMs\":150,\"errorRate\":0.25,\"down\":false}");

        JsonNode knobs = json.readTree(get("/sandbox/hubs/rsw/faults").body());

        assertThat(knobs.path("latencyMs").asLong()).isEqualTo(150);
        assertThat(knobs.path("errorRate").asDouble()).isEqualTo(0.25);
        assertThat(knobs.path("down").asBoolean()).isFalse();
    }

    @Test
    void faultsOutOfRangeKnobIsA400ProblemAndChangesNothing() throws Exception {
        HttpResponse<byte[]> response = putFaults("cozo", "{\"errorRate\":2}");

        assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(json.readTree(get("/sandbox/hubs/cozo/faults").body()).path("errorRate").asDouble()).isZero();
        assertThat(soapCall("cozo").statusCode()).isEqualTo(200);
    }

    @Test
    void faultsUnknownHubIsA404ProblemWithReasonUnknownHub() throws Exception {
        HttpResponse<byte[]> response = putFaults("no-such-hub", "{\"down\":true}");

        assertProblem(response, 404, "UNKNOWN_HUB");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Demo tokens


    @Test
    void tokenForAPhysicianIsSignedByThePublishedKeyAndCarriesTheIdentity() throws Exception {
        JsonNode physician = stream(seed().path("professionals"))
                .filter(p -> "persphysician".equals(p.path("profession").asText())).findFirst().orElseThrow();
        String name = physician.path("firstName").asText() + " " + physician.path("lastName").asText();
        ObjectNode request = json.createObjectNode()
                .put("nihii", physician.path("nihii").asText())
                .put("ssin", physician.path("ssin").asText())
                .put("profession", "persphysician")
                .put("name", name);

        HttpResponse<byte[]> response = postJson("/sandbox/token", json.writeValueAsString(request));

        assertThat(response.statusCode()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(json.readTree(response.body()).path("token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.verify(verifierFor(jwt))).as("signature").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("nihii")).isEqualTo(physician.path("nihii").asText());
        assertThat(claims.getStringClaim("ssin")).isEqualTo(physician.path("ssin").asText());
        assertThat(claims.getStringClaim("profession")).isEqualTo("persphysician");
        assertThat(claims.getStringClaim("name")).isEqualTo(name);
        assertThat(claims.getIssuer()).isEqualTo("record-broker-sandbox");
        assertThat(claims.getExpirationTime()).isAfter(new Date());
    }

    @Test
    void tokenTamperedFailsVerification() throws Exception {
        String token = json.readTree(postJson("/sandbox/token",
                "{\"nihii\":\"12345625004\",\"profession\":\"persphysician\"}").body()).path("token").asText();
        String[] parts = token.split("\\.");
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("persphysician", "persnurse").getBytes(StandardCharsets.UTF_8));

        SignedJWT forged = SignedJWT.parse(parts[0] + "." + forgedPayload + "." + parts[2]);

        assertThat(forged.getJWTClaimsSet().getStringClaim("profession")).isEqualTo("persnurse");
        assertThat(forged.verify(verifierFor(forged))).isFalse();
    }

    @Test
    void tokenForAPatientNeedsNoNihii() throws Exception {
        String ssin = seed().path("patients").get(0).path("ssin").asText();

        HttpResponse<byte[]> response = postJson("/sandbox/token",
                "{\"ssin\":\"" + ssin + "\",\"profession\":\"patient\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(json.readTree(response.body()).path("token").asText());
        assertThat(jwt.verify(verifierFor(jwt))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("ssin")).isEqualTo(ssin);
        assertThat(claims.getStringClaim("profession")).isEqualTo("patient");
        assertThat(claims.getClaim("nihii")).isNull();
        assertThat(claims.getExpirationTime()).isAfter(new Date());
    }

    @Test
    void tokenWithAnInvalidSsinIsA400ProblemWithReasonInvalidSsin() throws Exception {
        String badSsin = "72031412123"; // a valid SSIN with its last check digit changed
        assertThat(Ssin.isValid(badSsin)).isFalse();

        HttpResponse<byte[]> response = postJson("/sandbox/token",
                "{\"nihii\":\"12345625004\",\"ssin\":\"" + badSsin + "\",\"profession\":\"persphysician\"}");

        assertProblem(response, 400, "INVALID_SSIN");
    }

    @Test
    void tokenForAProfessionalWithoutNihiiIsA400ProblemWithReasonInvalidNihii() throws Exception {
        HttpResponse<byte[]> response = postJson("/sandbox/token",
                "{\"ssin\":\"72031412122\",\"profession\":\"persphysician\",\"name\":\"An Verstraeten\"}");

        assertProblem(response, 400, "INVALID_NIHII");
    }

    @Test
    void tokenRequestWithMalformedJsonIsA400Problem() throws Exception {
        HttpResponse<byte[]> response = postJson("/sandbox/token", "{\"nihii\": \"12345625004\", ");

        assertProblem(response, 400, "INVALID_REQUEST");
    }

    private RSASSAVerifier verifierFor(SignedJWT jwt) throws Exception {
        HttpResponse<byte[]> keys = get("/sandbox/jwks.json");
        assertThat(keys.statusCode()).isEqualTo(200);
        JWKSet set = JWKSet.parse(new String(keys.body(), StandardCharsets.UTF_8));
        JWK key = set.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's key id is in the published set").isInstanceOf(RSAKey.class);
        assertThat(key.isPrivate()).as("only the public half is published").isFalse();
        return new RSASSAVerifier(key.toRSAKey().toRSAPublicKey());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. Health

    @Test
    void healthIsUpWithOneComponentPerHubAndTheMetahub() throws Exception {
        HttpResponse<String> response = opsGet("/actuator/health");
        JsonNode health = json.readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode hubs = health.path("components").path("hubs").path("components");
        List<String> names = new ArrayList<>();
        hubs.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("rsb", "cozo", "rsw");
        hubs.forEach(h -> assertThat(h.path("status").asText()).isEqualTo("UP"));
        assertThat(health.path("components").path("metahub").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("hl7Listeners").path("details").has("hl7-mllp-listener"))
                .as("the shared MLLP listener, found by its route group").isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private JsonNode seed() throws Exception {
        HttpResponse<byte[]> response = get("/sandbox/seed");
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private List<JsonNode> seedDocuments(Predicate<JsonNode> filter) throws Exception {
        List<JsonNode> documents = stream(seed().path("documents")).filter(filter).toList();
        assertThat(documents).as("seed documents matching the test's filter").isNotEmpty();
        return documents;
    }

    private JsonNode onlyDocument(Predicate<JsonNode> filter) throws Exception {
        List<JsonNode> documents = seedDocuments(filter);
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }

    private static Set<String> hubCodes(JsonNode seed) {
        Set<String> codes = new HashSet<>();
        seed.path("hubs").forEach(h -> codes.add(h.path("code").asText()));
        return codes;
    }

    private static boolean hasConsent(JsonNode patient) {
        return patient.path("consent").isObject();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> postJson(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> putFaults(String hub, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/hubs/" + hub + "/faults"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The long tour's (docs/tour.md) GetPatientConsent for the first seed patient, at the given hub. */
    private HttpResponse<byte[]> soapCall(String hub) throws Exception {
        String ssin = seed().path("patients").get(0).path("ssin").asText();
        String envelope = TestSoap.intraHubRequest("GetPatientConsent", TestSoap.patientSelect(ssin));
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/hubs/" + hub + "/intrahub/v3"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"urn:be:fgov:ehealth:intrahub:protocol:v3:GetPatientConsent\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static NodeList soapFaults(byte[] body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("Envelope");
        assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo(SOAP_ENV);
        return document.getElementsByTagNameNS(SOAP_ENV, "Fault");
    }

    private void assertProblem(HttpResponse<byte[]> response, int status, String reason) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith(PROBLEM_JSON));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("reason").asText()).isEqualTo(reason);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static int occurrences(byte[] haystack, byte[] needle) {
        int count = 0;
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }
}
