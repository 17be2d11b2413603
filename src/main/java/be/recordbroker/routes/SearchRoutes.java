package be.recordbroker.routes;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.CollectionFormat;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.cxf.binding.soap.SoapFault;
import org.springframework.stereotype.Component;

import be.recordbroker.domain.SearchScope;
import be.recordbroker.rest.RestContract;

/**
 * The federated search on both faces, REST {@code GET /api/v1/patients/{ssin}/documents} and SOAP GetTransactionList,
 * each a route whose steps are the flow:
 *
 * <pre>
 * identify (the face: caller, filters checked; 400 / SOAP fault before the gate)
 *   → admit (a place among the searches at work; 503 / OVERLOADED fault)
 *   → gate (audited decision; the row is written while the hubs are asked)
 *   → search (direct:federated-search: locate → fan-out → merge → filter → page, FederatedSearchRoutes)
 *   → record (nothing is answered before the audit row is written)
 *   → answer (the face: JSON / GetTransactionList answer)
 * </pre>
 *
 * A step that refuses answers and stops the route. The search step calls the fan-out route through
 * {@code FederatedSearch#search} (a synchronous producer) rather than {@code .to("direct:federated-search")}: the
 * fan-out completes on a hub-calling thread, and an asynchronous continuation would turn every REST request into a
 * Servlet async dispatch (config/RestFaceConfiguration.java runs the REST routes on the request's own thread).
 */
@Component
public class SearchRoutes extends RouteBuilder {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE = 1_000_000;

    private final RestSearchFace rest;
    private final SoapSearchFace soap;
    private final SearchSteps steps;

    SearchRoutes(RestSearchFace rest, SoapSearchFace soap, SearchSteps steps) {
        this.rest = rest;
        this.soap = soap;
        this.steps = steps;
    }

    @Override
    public void configure() {
        restConfiguration().bindingMode(RestBindingMode.off);
        // the REST DSL is also the OpenAPI contract's source (OpenApiRoutes; constraints in RestContract)
        RestDefinition documents = RestContract.patientRoute(rest("/api/v1/patients/{ssin}/documents")
                .get().id("rest-patient-documents").produces(RestContract.JSON)
                .description("Search the patient's documents across the hubs (federated; partial results say which"
                        + " hub could not be asked)"))
                .param().name("type").type(RestParamType.query).dataType("array").arrayType("string")
                    .collectionFormat(CollectionFormat.multi).required(false)
                    .description("KMEHR CD-TRANSACTION codes, repeatable or comma-separated").endParam()
                .param().name("from").type(RestParamType.query).dataType("string").dataFormat("date").required(false)
                    .description("documents dated on or after this day, yyyy-mm-dd").endParam()
                .param().name("to").type(RestParamType.query).dataType("string").dataFormat("date").required(false)
                    .description("documents dated on or before this day, yyyy-mm-dd").endParam()
                .param().name("scope").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues("global", "local").defaultValue("global")
                    .description("global: every hub holding the patient; local: the broker's own hub only").endParam()
                .param().name("page").type(RestParamType.query).dataType("integer").required(false)
                    .defaultValue("0").description("the page, from 0").endParam()
                .param().name("pageSize").type(RestParamType.query).dataType("integer").required(false)
                    .defaultValue(Integer.toString(DEFAULT_PAGE_SIZE)).description("documents per page").endParam()
                .responseMessage().code(200).message("one page of the patient's documents").endResponseMessage();
        RestContract.errors(documents, 400, 401, 403, 503).security(RestContract.BEARER)
                .to("direct:patient-documents");

        from("direct:patient-documents").routeId("patient-documents")
                .bean(rest, "identify")
                .bean(steps, "admit")
                .bean(steps, "gate")
                .bean(steps, "search")
                .bean(steps, "record")
                .bean(rest, "answer");

        from("direct:soap-get-transaction-list").routeId("soap-get-transaction-list")
                // the face's own faults are answers, not failures to log (IntraHubSoapRoutes)
                .onException(SoapFault.class).handled(false).logExhausted(false).end()
                .bean(soap, "identify")
                .bean(steps, "admit")
                .bean(steps, "gate")
                .bean(steps, "search")
                .bean(steps, "record")
                .bean(soap, "answer");
    }

    static String describe(SearchScope scope, Set<String> types, LocalDate from, LocalDate to, int page, int pageSize) {
        return "scope=" + scope.name().toLowerCase(Locale.ROOT) + (types.isEmpty() ? "" : " type=" + String.join(",", types))
                + (from == null ? "" : " from=" + from) + (to == null ? "" : " to=" + to)
                + " page=" + page + " pageSize=" + pageSize;
    }
}
