package be.recordbroker.routes;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;
import org.springframework.stereotype.Component;

import be.recordbroker.security.RestCaller;
import be.recordbroker.rest.RestContract;

/**
 * {@code GET /api/v1/openapi.json}: the REST face's OpenAPI 3 contract, generated from the REST DSL of the routes by
 * camel-openapi-java and completed by {@link RestContract}. Behind the REST face's bearer authentication like every
 * {@code /api/**} path (SecurityConfiguration): the contract describes the health-data API to its callers, and there
 * is no reason to show the attack surface to anyone else. Made once, on first request (the routes do not change).
 */
@Component
public class OpenApiRoutes extends RouteBuilder {

    static final String PATH = "/api/v1/openapi.json";

    private volatile String document;

    @Override
    public void configure() {
        restConfiguration().bindingMode(RestBindingMode.off);

        RestDefinition verb = rest(PATH).get().id("rest-openapi").produces(RestContract.JSON)
                .description("This contract (OpenAPI 3)");
        verb = RestContract.requestIdHeader(verb)
                .responseMessage().code(200).message("the OpenAPI document").endResponseMessage();
        RestContract.errors(verb, 401).security(RestContract.BEARER).to("direct:openapi-document");

        from("direct:openapi-document").routeId("openapi-document").process(this::serve);
    }

    private void serve(Exchange exchange) throws Exception {
        RestCaller.of(exchange); // sets the request id on the answer
        String json = document;
        if (json == null) {
            json = generate(exchange.getContext());
            document = json;
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, RestContract.JSON);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setBody(json);
    }

    static String generate(org.apache.camel.CamelContext camel) throws Exception {
        RestOpenApiSupport support = new RestOpenApiSupport();
        BeanConfig config = new BeanConfig();
        support.initOpenApi(config, Map.of(
                "openapi.version", "3.0.3",
                "api.title", "record-broker REST face",
                "api.version", "v1",
                "api.description", "The federated record broker's REST face: a patient's documents across the hubs,"
                        + " one document streamed from its original source, and the patient's audit trail. Errors are"
                        + " application/problem+json with a stable reason code and the request id (docs/openapi.md)."));
        List<RestDefinition> rests = support.getRestDefinitions(camel);
        OpenAPI api = new RestOpenApiReader().read(camel, rests, config, camel.getName(), camel.getClassResolver());
        RestContract.complete(api,
                RestContract.parameterSchemas(AuditTrailRoutes.MAX_LIMIT, AuditTrailRoutes.DEFAULT_LIMIT,
                        SearchRoutes.MAX_PAGE, SearchRoutes.DEFAULT_PAGE_SIZE),
                Map.of("rest-patient-documents", "DocumentsPage", "rest-patient-audit", "AuditTrail",
                        "rest-openapi", "OpenApiDocument"));
        return RestOpenApiSupport.getJsonFromOpenAPIAsString(api, config);
    }
}
