package be.recordbroker.rest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.DateSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;

import be.recordbroker.access.AccessReason;
import be.recordbroker.domain.HubStatus;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.retrieve.RetrievalFailure;
import be.recordbroker.security.RestCaller;
import be.recordbroker.web.Problems;

/**
 * The REST face's OpenAPI contract (docs/openapi.md). The operations, their parameters and response codes come from
 * the REST DSL of the routes themselves (camel-openapi-java reads them, {@code OpenApiRoutes}); this class adds what
 * the REST DSL cannot say: each parameter's constraints (taken from the constants {@link InputRules} and the routes
 * enforce, so the document cannot drift from the checks), the JSON schemas of the answers (the routes build them as
 * maps), the problem+json schema on every error status, the bearer scheme, and the one operation that is not REST DSL:
 * the streamed document ({@link DocumentRetrieveServlet}, a servlet so the bytes are never copied).
 */
public final class RestContract {

    public static final String BEARER = "bearer";
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String DOCUMENT_PATH = "/api/v1/documents/{id}";
    public static final String DOCUMENT_OPERATION = "rest-document";

    /** A value without the control characters {@code SafeText} refuses (C0, DEL, C1, U+2028/9); ECMA-262 syntax. */
    static final String NO_CONTROL = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$";
    /** One or more transaction codes, comma-separated ({@link InputRules#TRANSACTION_CODE}). */
    static final String TYPE_CODES = "^[A-Za-z0-9._-]{1,64}(,[A-Za-z0-9._-]{1,64})*$";

    private static final String SCHEMAS = "#/components/schemas/";

    private RestContract() {
    }

    // ------------------------------------------------------------------ REST DSL helpers (used by the routes)

    /** The path SSIN, the break-the-glass and request-id headers, and the answers every patient route shares. */
    public static RestDefinition patientRoute(RestDefinition verb) {
        return requestIdHeader(verb
                .param().name("ssin").type(RestParamType.path).dataType("string").required(true)
                    .description("the patient's SSIN (INSZ/NISS), 11 digits; formatting such as dots and dashes is"
                            + " allowed").endParam()
                .param().name(RestCaller.BREAK_THE_GLASS_HEADER).type(RestParamType.header).dataType("string")
                    .required(false).description("break-the-glass: the emergency justification (a professional"
                            + " without a therapeutic link); written to the patient's audit trail").endParam());
    }

    /** The {@code X-Request-Id} header every operation accepts and echoes. */
    public static RestDefinition requestIdHeader(RestDefinition verb) {
        return verb.param().name(Problems.REQUEST_ID_HEADER).type(RestParamType.header).dataType("string")
                .required(false).description("correlation id: used when it is 1 to 64 of [A-Za-z0-9._:-], else the"
                        + " broker makes one; echoed on the answer and as requestId/traceId in problems")
                .endParam();
    }

    /** Documents error statuses (each answered as problem+json). */
    public static RestDefinition errors(RestDefinition verb, int... statuses) {
        for (int status : statuses) {
            verb = verb.responseMessage().code(status).message(errorMessage(status)).endResponseMessage();
        }
        return verb;
    }

    private static String errorMessage(int status) {
        return switch (status) {
            case 400 -> "a parameter is refused (INVALID_PARAMETER names it) or the SSIN is invalid";
            case 401 -> "no valid bearer token (UNAUTHENTICATED)";
            case 403 -> "the access gate refused (NO_CONSENT, EXCLUDED, NO_THERAPEUTIC_LINK, ...)";
            case 404 -> "no such document at its hub, or no such hub";
            case 405 -> "only GET is served";
            case 500 -> "an unexpected failure (INTERNAL_ERROR)";
            case 502 -> "the document's source failed or sent too much";
            case 503 -> "a fact or the audit trail is unavailable: the broker fails closed";
            case 504 -> "the document's source did not answer in time";
            default -> "an error";
        };
    }

    // ------------------------------------------------------------------ completing the generated document

    /** The parameter constraints the faces enforce (RestInput, InputRules, the routes' bounds), by parameter name. */
    public static Map<String, Schema<?>> parameterSchemas(int maxAuditLimit, int defaultAuditLimit, int maxPage,
                                                    int defaultPageSize) {
        Map<String, Schema<?>> schemas = new LinkedHashMap<>();
        schemas.put("ssin", new StringSchema().minLength(1).maxLength(InputRules.MAX_SSIN_LENGTH).pattern(NO_CONTROL));
        schemas.put(RestCaller.BREAK_THE_GLASS_HEADER,
                new StringSchema().maxLength(InputRules.MAX_BREAK_THE_GLASS).pattern(NO_CONTROL));
        schemas.put(Problems.REQUEST_ID_HEADER, new StringSchema());
        schemas.put("id", new StringSchema().minLength(1).maxLength(InputRules.MAX_DOCUMENT_ID).pattern(NO_CONTROL));
        schemas.put("type", new ArraySchema().items(new StringSchema().maxLength(4096).pattern(TYPE_CODES))
                .maxItems(InputRules.MAX_TYPES));
        schemas.put("from", new DateSchema());
        schemas.put("to", new DateSchema());
        schemas.put("scope", new StringSchema()._enum(List.of("global", "local"))._default("global"));
        schemas.put("page", new IntegerSchema().format("int32").minimum(BigDecimal.ZERO)
                .maximum(BigDecimal.valueOf(maxPage))._default(0));
        schemas.put("pageSize", new IntegerSchema().format("int32").minimum(BigDecimal.ONE)
                .maximum(BigDecimal.valueOf(SearchQuery.MAX_PAGE_SIZE))._default(defaultPageSize));
        schemas.put("limit", new IntegerSchema().format("int32").minimum(BigDecimal.ONE)
                .maximum(BigDecimal.valueOf(maxAuditLimit))._default(defaultAuditLimit));
        schemas.put("offset", new IntegerSchema().format("int32").minimum(BigDecimal.ZERO)
                .maximum(BigDecimal.valueOf(Integer.MAX_VALUE))._default(0));
        return schemas;
    }

    /**
     * Completes the document camel-openapi-java generated from the REST DSL. A parameter without known constraints
     * is an error: a new parameter must say here what the face accepts.
     *
     * @param successSchemas the schema name of each operation's 200 body, by operation id
     */
    public static OpenAPI complete(OpenAPI api, Map<String, Schema<?>> parameterSchemas,
                                   Map<String, String> successSchemas) {
        api.servers(List.of(new Server().url("/").description("this broker")));
        if (api.getComponents() == null) {
            api.components(new Components());
        }
        Components components = api.getComponents();
        components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .bearerFormat("JWT").description("a JWT from the identity provider (RS256/ES256; iss, aud and exp are"
                        + " checked); claims nihii+profession+name for a professional, ssin+profession=patient for a"
                        + " citizen. In the sandbox: POST /sandbox/token."));
        schemas().forEach(components::addSchemas);
        api.security(List.of(new SecurityRequirement().addList(BEARER)));
        api.getPaths().addPathItem(DOCUMENT_PATH, new PathItem().get(documentOperation()));

        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
                for (Parameter parameter : operation.getParameters() == null ? List.<Parameter>of()
                        : operation.getParameters()) {
                    Schema<?> constraints = parameterSchemas.get(parameter.getName());
                    if (constraints == null) {
                        throw new IllegalStateException("the REST contract has no constraints for parameter "
                                + parameter.getName() + " of " + operation.getOperationId());
                    }
                    parameter.setSchema(constraints);
                    if ("type".equals(parameter.getName())) {
                        // repeatable (?type=a&type=b) or comma-separated (?type=a,b)
                        parameter.style(Parameter.StyleEnum.FORM).explode(true);
                    }
                }
                answers(operation, successSchemas.get(operation.getOperationId()));
            }
        }
        return api;
    }

    private static void answers(Operation operation, String successSchema) {
        ApiResponses responses = operation.getResponses();
        // every status is documented by its code; camel-openapi-java's catch-all would promise an unknown shape
        responses.remove("default");
        if (!responses.containsKey("200")) {
            throw new IllegalStateException("the REST DSL of " + operation.getOperationId() + " documents no 200 answer");
        }
        for (Map.Entry<String, ApiResponse> entry : responses.entrySet()) {
            ApiResponse response = entry.getValue();
            int status = Integer.parseInt(entry.getKey());
            if (response.getHeaders() == null || !response.getHeaders().containsKey(Problems.REQUEST_ID_HEADER)) {
                response.addHeaderObject(Problems.REQUEST_ID_HEADER, new Header().schema(new StringSchema())
                        .description("the request's correlation id"));
            }
            if (status >= 400) {
                response.content(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref(SCHEMAS + "Problem"))));
                if (status == 401) {
                    response.addHeaderObject("WWW-Authenticate", new Header().schema(new StringSchema())
                            .description("Bearer"));
                }
            } else if (successSchema != null) {
                response.content(new Content().addMediaType(JSON,
                        new MediaType().schema(new Schema<>().$ref(SCHEMAS + successSchema))));
            }
        }
    }

    /** {@code GET /api/v1/documents/{id}}: a servlet, not REST DSL (the bytes are streamed, never copied). */
    private static Operation documentOperation() {
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse()
                .description("the document as its original source serves it, with the source's Content-Type and"
                        + " Content-Length")
                .content(new Content().addMediaType("*/*", new MediaType().schema(new BinarySchema())))
                .addHeaderObject("Content-Length", new Header().schema(new IntegerSchema().format("int64"))));
        for (int status : new int[] {400, 401, 403, 404, 405, 500, 502, 503, 504}) {
            responses.addApiResponse(Integer.toString(status), new ApiResponse().description(errorMessage(status)));
        }
        return new Operation().operationId(DOCUMENT_OPERATION).summary("Retrieve one document")
                .description("Streams the document from its original source (the broker keeps no copy). The id is"
                        + " one a search answered with: opaque and sealed. The patient-level gate is decided first (a"
                        + " refused caller gets the same answer whether the document exists or not), then the document's"
                        + " hub is asked, then the document-level gate; every decision is audited.")
                .addParametersItem(new PathParameter().name("id").required(true)
                        .description("a document id from a search answer"))
                .addParametersItem(new HeaderParameter().name(RestCaller.BREAK_THE_GLASS_HEADER).required(false)
                        .description("break-the-glass: the emergency justification"))
                .addParametersItem(new HeaderParameter().name(Problems.REQUEST_ID_HEADER).required(false)
                        .description("correlation id"))
                .responses(responses);
    }

    // ------------------------------------------------------------------ the answers' schemas

    /** Every reason code a REST problem can carry. */
    static List<String> reasonCodes() {
        Set<String> codes = new LinkedHashSet<>();
        for (AccessReason reason : AccessReason.values()) {
            if (!reason.allows()) {
                codes.add(reason.name());
            }
        }
        for (RetrievalFailure.Reason reason : RetrievalFailure.Reason.values()) {
            codes.add(reason.name());
        }
        // the faces' own: RestInput, DocumentRetrieveServlet, ProblemAnswers
        codes.addAll(List.of("INVALID_PARAMETER", "INVALID_REQUEST", "INVALID_DOCUMENT_ID", "METHOD_NOT_ALLOWED", "UNAUTHENTICATED",
                "FORBIDDEN", "INTERNAL_ERROR"));
        return new ArrayList<>(codes);
    }

    static Map<String, Schema<?>> schemas() {
        Map<String, Schema<?>> schemas = new LinkedHashMap<>();
        schemas.put("Problem", new ObjectSchema()
                .description("RFC 9457 problem details with the broker's stable reason code and the request id")
                .addProperty("type", new StringSchema().example("urn:record-broker:problem:no-consent"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema().minimum(BigDecimal.valueOf(400))
                        .maximum(BigDecimal.valueOf(599)))
                .addProperty("reason", new StringSchema()._enum(reasonCodes()))
                .addProperty("code", new StringSchema()._enum(reasonCodes()).description("the same as reason"))
                .addProperty("detail", nullableString())
                .addProperty("requestId", new StringSchema())
                .addProperty("traceId", new StringSchema().description("the same as requestId"))
                .required(List.of("type", "title", "status", "reason", "code", "requestId", "traceId")));

        schemas.put("Professional", new ObjectSchema()
                .addProperty("nihii", new StringSchema().pattern("^[0-9]{11}$"))
                .addProperty("name", new StringSchema())
                .addProperty("profession", new StringSchema())
                .required(List.of("nihii", "name", "profession")));
        schemas.put("DocumentSource", new ObjectSchema()
                .addProperty("institution", new StringSchema())
                .addProperty("nihii", new StringSchema())
                .addProperty("hospital", nullableString().description("a hospital connected to the broker, else"
                        + " null (the hub relays the document)"))
                .required(List.of("hospital")));
        schemas.put("Document", new ObjectSchema()
                .addProperty("id", new StringSchema().description("opaque, sealed; retrieve it at "
                        + DOCUMENT_PATH))
                .addProperty("hub", nullableString())
                .addProperty("type", nullableString().description("the KMEHR CD-TRANSACTION code"))
                .addProperty("title", nullableString())
                .addProperty("date", new StringSchema().format("date-time"))
                .addProperty("author", new Schema<>().$ref(SCHEMAS + "Professional"))
                .addProperty("source", new Schema<>().$ref(SCHEMAS + "DocumentSource"))
                .addProperty("mimeType", nullableString())
                .addProperty("size", new IntegerSchema().format("int64").nullable(true))
                .addProperty("sha256", nullableString().pattern("^[0-9a-f]{64}$"))
                .required(List.of("id", "hub", "type", "title", "date", "source", "mimeType", "size", "sha256")));
        List<String> hubStatuses = new ArrayList<>();
        for (HubStatus status : HubStatus.values()) {
            hubStatuses.add(status.wire());
        }
        schemas.put("HubOutcome", new ObjectSchema()
                .addProperty("hub", new StringSchema())
                .addProperty("status", new StringSchema()._enum(hubStatuses))
                .addProperty("error", nullableString())
                .addProperty("tookMs", new IntegerSchema().format("int64"))
                .required(List.of("hub", "status", "error", "tookMs")));
        schemas.put("DocumentsPage", new ObjectSchema()
                .description("one page of the patient's documents across the hubs; complete=false when a hub could"
                        + " not be asked (see hubs)")
                .addProperty("patient", new StringSchema().pattern("^[0-9]{11}$"))
                .addProperty("complete", new Schema<Boolean>().type("boolean"))
                .addProperty("metahub", new StringSchema()._enum(List.of("ok", "unavailable")))
                .addProperty("page", new IntegerSchema().minimum(BigDecimal.ZERO))
                .addProperty("pageSize", new IntegerSchema().minimum(BigDecimal.ONE))
                .addProperty("total", new IntegerSchema().minimum(BigDecimal.ZERO))
                .addProperty("documents", new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "Document")))
                .addProperty("hubs", new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "HubOutcome")))
                .required(List.of("patient", "complete", "metahub", "page", "pageSize", "total", "documents",
                        "hubs")));
        schemas.put("AuditActor", new ObjectSchema()
                .addProperty("nihii", nullableString())
                .addProperty("profession", nullableString())
                .addProperty("name", nullableString())
                .required(List.of("nihii", "profession", "name")));
        schemas.put("AuditEntry", new ObjectSchema()
                .addProperty("seq", new IntegerSchema().format("int64"))
                .addProperty("at", new StringSchema().format("date-time"))
                .addProperty("requestId", nullableString())
                .addProperty("face", nullableString())
                .addProperty("actor", new Schema<>().$ref(SCHEMAS + "AuditActor"))
                .addProperty("action", new StringSchema())
                .addProperty("document", nullableString())
                .addProperty("query", nullableString())
                .addProperty("decision", new StringSchema()._enum(List.of("allow", "deny")))
                .addProperty("reason", nullableString())
                .addProperty("breakTheGlass", nullableString().description("the justification, shown to the"
                        + " patient himself only; others see \"(given)\""))
                .required(List.of("seq", "at", "requestId", "face", "actor", "action", "document", "query",
                        "decision", "reason", "breakTheGlass")));
        schemas.put("AuditTrail", new ObjectSchema()
                .addProperty("patient", new StringSchema().pattern("^[0-9]{11}$"))
                .addProperty("limit", new IntegerSchema())
                .addProperty("offset", new IntegerSchema())
                .addProperty("entries", new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "AuditEntry")))
                .required(List.of("patient", "limit", "offset", "entries")));
        Schema<Object> openApiDocument = new ObjectSchema().description("this document (OpenAPI 3.0)")
                .addProperty("openapi", new StringSchema().pattern("^3\\."))
                .addProperty("info", new ObjectSchema().additionalProperties(true))
                .addProperty("paths", new ObjectSchema().additionalProperties(true))
                .required(List.of("openapi", "info", "paths"));
        schemas.put("OpenApiDocument", openApiDocument.additionalProperties(true));
        return schemas;
    }

    private static StringSchema nullableString() {
        StringSchema schema = new StringSchema();
        schema.setNullable(true);
        return schema;
    }
}
