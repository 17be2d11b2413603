package be.recordbroker.rest;

import static be.recordbroker.retrieve.RetrievalFixtures.BRU;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.retrieve.RetrievalFixtures;

/**
 * The REST face's OpenAPI contract against the running sandbox broker: the served document is valid OpenAPI 3 by
 * swagger-parser, needs a bearer token, and every operation it documents is called here, each answer (a success and
 * at least one error) checked against the documented responses by Atlassian's swagger-request-validator — and each
 * request too, so a documented constraint that the face does not enforce (or the reverse) shows.
 */
class OpenApiContractIntegrationTest extends SandboxIntegrationTest {

    private static final String DOC = "/api/v1/openapi.json";

    RetrievalFixtures fixtures;
    /** The served document, parsed (to name the operation a call went to). */
    OpenAPI contract;
    SoftAssertions softly;
    String gp;

    @BeforeEach
    void fixtures() {
        fixtures = new RetrievalFixtures(base());
        gp = fixtures.gpToken();
    }

    // ------------------------------------------------------------------ safe by default

    @Test
    void theDocumentNeedsAValidBearerToken() throws Exception {
        HttpResponse<String> anonymous = get(DOC, null, Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(anonymous.body()).path("reason").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.body()).doesNotContain("openapi");

        // a token the broker did not issue's key signed, and the ops user's credentials (valid on the management
        // port, the wrong scheme and the wrong role here) are refused alike
        String forged = gp.substring(0, gp.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        assertThat(get(DOC, "Bearer " + forged, Map.of()).statusCode()).isEqualTo(401);
        String ops = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "ops:sandbox-ops-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> opsAnswer = get(DOC, ops, Map.of());
        assertThat(opsAnswer.statusCode()).isEqualTo(401);
        assertThat(opsAnswer.body()).doesNotContain("openapi");

        HttpResponse<String> served = get(DOC, "Bearer " + gp, Map.of());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    @Test
    void theSandboxServesSwaggerUiOnTheContract() throws Exception {
        HttpResponse<String> page = get("/sandbox/openapi", null, Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("/api/v1/openapi.json").contains("/sandbox/swagger-ui/swagger-ui-bundle.js");
        HttpResponse<String> bundle = get("/sandbox/swagger-ui/swagger-ui-bundle.js", null, Map.of());
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(get("/sandbox/swagger-ui/swagger-ui-standalone-preset.js", null, Map.of()).statusCode())
                .isEqualTo(200);
    }

    // ------------------------------------------------------------------ a valid document with what it must say

    @Test
    void theServedDocumentIsValidOpenApi3WithTheProblemSchemaAndTheBearerScheme() throws Exception {
        String document = document();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's validation messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.0");

        var bearer = api.getComponents().getSecuritySchemes().get("bearer");
        assertThat(bearer.getType().toString()).isEqualTo("http");
        assertThat(bearer.getScheme()).isEqualTo("bearer");
        assertThat(bearer.getBearerFormat()).isEqualTo("JWT");

        var problem = api.getComponents().getSchemas().get("Problem");
        assertThat(problem.getRequired()).contains("reason", "code", "requestId", "traceId", "status", "type", "title");
        assertThat(((io.swagger.v3.oas.models.media.Schema<?>) problem.getProperties().get("reason")).getEnum()
                .stream().map(String::valueOf).toList()).contains("INVALID_PARAMETER", "NO_CONSENT",
                "UNAUTHENTICATED", "AUDIT_TRAIL_PATIENT_ONLY", "UNKNOWN_DOCUMENT", "SOURCE_TIMEOUT");

        assertThat(operations(api).keySet()).containsExactlyInAnyOrder("rest-patient-documents", "rest-patient-audit",
                "rest-document", "rest-openapi");
        for (Map.Entry<String, Operation> entry : operations(api).entrySet()) {
            Operation operation = entry.getValue();
            assertThat(operation.getSecurity()).as(entry.getKey()).isNotEmpty();
            assertThat(operation.getResponses()).as(entry.getKey()).containsKeys("200", "401");
            for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
                if (Integer.parseInt(response.getKey()) >= 400) {
                    assertThat(response.getValue().getContent().get("application/problem+json").getSchema().get$ref())
                            .as(entry.getKey() + " " + response.getKey()).endsWith("/Problem");
                }
            }
        }

        // the constraints RestInput and the routes enforce
        Map<String, Parameter> search = parameters(operations(api).get("rest-patient-documents"));
        assertThat(search.get("ssin").getSchema().getMaxLength()).isEqualTo(32);
        assertThat(search.get("ssin").getSchema().getPattern()).isNotBlank();
        assertThat(search.get("X-Break-The-Glass").getSchema().getMaxLength()).isEqualTo(1000);
        assertThat(search.get("scope").getSchema().getEnum()).containsExactly("global", "local");
        assertThat(search.get("pageSize").getSchema().getMaximum()).isEqualByComparingTo("500");
        assertThat(search.get("type").getSchema().getMaxItems()).isEqualTo(32);
        assertThat(search.get("type").getSchema().getItems().getPattern()).isNotBlank();
        assertThat(search.get("from").getSchema().getFormat()).isEqualTo("date");
        Map<String, Parameter> audit = parameters(operations(api).get("rest-patient-audit"));
        assertThat(audit.get("limit").getSchema().getMaximum()).isEqualByComparingTo("1000");
        assertThat(parameters(operations(api).get("rest-document")).get("id").getSchema().getMaxLength())
                .isEqualTo(2048);
    }

    // ------------------------------------------------------------------ every operation, answers checked

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        String document = document();
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .build();
        contract = new OpenAPIV3Parser().readContents(document, null, new ParseOptions()).getOpenAPI();
        String patient = fixtures.patientWithGp();
        String localId = "GEN-4096-" + ThreadLocalRandom.current().nextInt(1_000_000);
        String id = fixtures.declare(BRU, patient, localId, "labresult", null);
        String olivia = token(null, "patient", "Patient Himself", patient);
        String nurse = fixtures.token(RetrievalFixtures.NURSE, "persnurse", "Nurse Without Link");
        Set<String> called = new LinkedHashSet<>();
        softly = new SoftAssertions(); // every call is checked, and every mismatch reported at once

        // the contract itself
        called.add(check(validator, "/api/v1/openapi.json", "Bearer " + gp, Map.of(), 200, true));
        check(validator, "/api/v1/openapi.json", null, Map.of(), 401, false);

        // search
        String documents = "/api/v1/patients/" + patient + "/documents";
        called.add(check(validator, documents, "Bearer " + gp, Map.of("type", "labresult", "scope", "global",
                "pageSize", "10", "from", "2000-01-01"), 200, true));
        check(validator, documents, "Bearer " + gp, Map.of("pageSize", "0"), 400, false);
        check(validator, documents, "Bearer " + gp, Map.of("scope", "planet"), 400, false);
        check(validator, documents, "Bearer " + gp, Map.of("type", "lab result"), 400, false);
        check(validator, documents, "Bearer " + nurse, Map.of(), 403, true);
        check(validator, documents, null, Map.of(), 401, false);

        // audit trail
        String audit = "/api/v1/patients/" + patient + "/audit";
        called.add(check(validator, audit, "Bearer " + olivia, Map.of("limit", "5"), 200, true));
        check(validator, audit, "Bearer " + olivia, Map.of("limit", "1001"), 400, false);
        check(validator, audit, "Bearer " + gp, Map.of(), 403, true);
        check(validator, audit, null, Map.of(), 401, false);

        // the streamed document
        called.add(check(validator, "/api/v1/documents/" + id, "Bearer " + gp, Map.of(), 200, true));
        String unknown = RetrievalFixtures.seal(new DocumentId(BRU.hubEhpId(), patient, BRU.sourceLabel(), "NO-SUCH-1"));
        check(validator, "/api/v1/documents/" + unknown, "Bearer " + gp, Map.of(), 404, true);
        check(validator, "/api/v1/documents/" + id, "Bearer " + nurse, Map.of(), 403, true);
        check(validator, "/api/v1/documents/not-a-sealed-id", "Bearer " + gp, Map.of(), 400, true);
        check(validator, "/api/v1/documents/" + id, null, Map.of(), 401, false);

        softly.assertAll();
        assertThat(called).as("every documented operation was called")
                .containsExactlyInAnyOrderElementsOf(operations(contract).keySet());
    }

    /**
     * Sends the call, checks the status, and has the validator check the answer against the document (and the request:
     * {@code requestValid} says whether the request is one the document allows). Returns the operation's id.
     */
    private String check(OpenApiInteractionValidator validator, String path, String authorization,
                         Map<String, String> query, int status, boolean requestValid) throws Exception {
        HttpResponse<byte[]> answer = send(path, authorization, query);
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        softly.assertThat(answer.statusCode()).as(path + " " + query + ": " + abbreviate(body)).isEqualTo(status);
        String requestId = answer.headers().firstValue("X-Request-Id").orElse(null);
        softly.assertThat(requestId).as("X-Request-Id on " + path).isNotBlank();

        SimpleRequest.Builder request = SimpleRequest.Builder.get(path);
        query.forEach(request::withQueryParam);
        if (authorization != null) {
            request.withHeader("Authorization", authorization);
        }
        ValidationReport requestReport = validator.validateRequest(request.build());
        softly.assertThat(requestReport.hasErrors()).as(path + " " + query + " request: " + requestReport.getMessages())
                .isEqualTo(!requestValid);

        String contentType = answer.headers().firstValue("Content-Type").orElse("");
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.statusCode())
                .withContentType(contentType);
        answer.headers().map().forEach((name, values) -> response.withHeader(name, values));
        if (contentType.contains("json")) {
            response.withBody(body);
        } else {
            response.withBody(answer.body()); // the streamed document: documented as binary
        }
        ValidationReport report = validator.validateResponse(path, Request.Method.GET, response.build());
        softly.assertThat(report.getMessages()).as(path + " " + status + " answer against the document").isEmpty();
        if (status >= 400 && answer.statusCode() >= 400 && contentType.contains("json")) {
            JsonNode problem = json.readTree(body);
            softly.assertThat(contentType).as(path).isEqualTo("application/problem+json");
            softly.assertThat(problem.path("requestId").asText()).isEqualTo(requestId);
            softly.assertThat(problem.path("traceId").asText()).as("the W3C trace id").matches("[0-9a-f]{32}");
            softly.assertThat(problem.path("status").asInt()).isEqualTo(status);
        }
        return contract.getPaths().entrySet().stream()
                .filter(p -> matches(p.getKey(), path))
                .map(p -> p.getValue().getGet().getOperationId()).findFirst().orElseThrow();
    }

    private static boolean matches(String template, String path) {
        return path.matches(template.replaceAll("\\{[^/]+}", "[^/]+"));
    }

    private HttpResponse<byte[]> send(String path, String authorization, Map<String, String> query) throws Exception {
        StringBuilder uri = new StringBuilder(base() + path);
        String separator = "?";
        for (Map.Entry<String, String> q : query.entrySet()) {
            uri.append(separator).append(q.getKey()).append('=')
                    .append(java.net.URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            separator = "&";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> get(String path, String authorization, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String document() throws Exception {
        HttpResponse<String> served = get(DOC, "Bearer " + gp, Map.of());
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        // kept for reading (and for docs/openapi.md's readers who have no broker running)
        java.nio.file.Path copy = java.nio.file.Path.of("target", "openapi", "openapi.json");
        java.nio.file.Files.createDirectories(copy.getParent());
        java.nio.file.Files.writeString(copy, served.body());
        return served.body();
    }

    private static Map<String, Operation> operations(OpenAPI api) {
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (PathItem item : api.getPaths().values()) {
            item.readOperations().forEach(o -> operations.put(o.getOperationId(), o));
        }
        return operations;
    }

    private static Map<String, Parameter> parameters(Operation operation) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Parameter parameter : operation.getParameters() == null ? new ArrayList<Parameter>()
                : operation.getParameters()) {
            parameters.put(parameter.getName(), parameter);
        }
        return parameters;
    }

    private static String abbreviate(String body) {
        return body.length() > 500 ? body.substring(0, 500) : body;
    }
}
