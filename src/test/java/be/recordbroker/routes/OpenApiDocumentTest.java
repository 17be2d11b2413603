package be.recordbroker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import be.recordbroker.kmehr.BrokerParty;

/**
 * The contract generated from the REST routes' own definitions, without a broker: quick feedback that the REST DSL and
 * {@code RestContract} make a valid OpenAPI 3 document (swagger-parser) in which every operation documents its answers.
 * The served document, and the live answers against it, are {@code rest.OpenApiContractIntegrationTest}'s.
 */
class OpenApiDocumentTest {

    @Test
    void theRoutesMakeAValidOpenApi3DocumentWithEveryOperationsAnswers() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            // configure() only declares the routes; the collaborators are used when a request comes
            camel.addRoutes(new SearchRoutes(new RestSearchFace(null, null, null),
                    new SoapSearchFace(null, BrokerParty.of("record-broker"), "lenient", null),
                    new SearchSteps(null, null, null, new be.recordbroker.admission.Admissions(null, null))));
            camel.addRoutes(new AuditTrailRoutes(null, null, null, null));
            camel.addRoutes(new OpenApiRoutes());

            String document = OpenApiRoutes.generate(camel);

            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
            assertThat(parsed.getMessages()).isEmpty();
            OpenAPI api = parsed.getOpenAPI();
            assertThat(api.getPaths()).containsOnlyKeys("/api/v1/patients/{ssin}/documents",
                    "/api/v1/patients/{ssin}/audit", "/api/v1/documents/{id}", "/api/v1/openapi.json");
            assertThat(api.getPaths().get("/api/v1/patients/{ssin}/documents").getGet().getResponses())
                    .containsOnlyKeys("200", "400", "401", "403", "503");
            assertThat(api.getPaths().get("/api/v1/patients/{ssin}/audit").getGet().getResponses())
                    .containsOnlyKeys("200", "400", "401", "403", "503");
            assertThat(api.getPaths().get("/api/v1/openapi.json").getGet().getResponses())
                    .containsOnlyKeys("200", "401");
            assertThat(api.getPaths().get("/api/v1/patients/{ssin}/documents").getGet().getParameters())
                    .extracting(p -> p.getName())
                    .containsExactlyInAnyOrderElementsOf(List.of("ssin", "X-Break-The-Glass", "X-Request-Id", "type",
                            "from", "to", "scope", "page", "pageSize"));
            assertThat(api.getSecurity()).isNotEmpty();
        }
    }
}
