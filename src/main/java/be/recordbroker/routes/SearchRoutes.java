package be.recordbroker.routes;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.CollectionFormat;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.cxf.binding.soap.SoapFault;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.access.AccessAction;
import be.recordbroker.admission.Admission;
import be.recordbroker.admission.Admissions;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.access.AuditedAccessGate.PendingDecision;
import be.recordbroker.kmehr.BrokerParty;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.domain.Ssin;
import be.recordbroker.soap.SoapCallers;
import be.recordbroker.soap.SoapInput;
import be.recordbroker.soap.TransactionListSoap;
import be.recordbroker.network.Network;
import be.recordbroker.web.Problems;
import be.recordbroker.web.RestInput;
import be.recordbroker.security.RestCaller;
import be.recordbroker.rest.RestContract;
import be.recordbroker.search.FederatedSearch;
import be.recordbroker.search.SearchPage;

/**
 * The federated search on both faces: REST {@code GET /api/v1/patients/{ssin}/documents} (filters {@code type}
 * (repeatable or comma-separated), {@code from}, {@code to}, {@code scope=global|local}, {@code page},
 * {@code pageSize}) and SOAP GetTransactionList. Identity → gate (search; audited) → {@link FederatedSearch}. The
 * audit row is written while the hubs are asked, and the answer waits for it.
 */
@Component
public class SearchRoutes extends RouteBuilder {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE = 1_000_000;
    private static final java.util.regex.Pattern SCOPE = java.util.regex.Pattern.compile("(?i)global|local");

    private final AuditedAccessGate gate;
    private final FederatedSearch search;
    private final Network network;
    private final Clock clock;
    private final NihiiValidation nihiiValidation;
    private final HcpartyType self;
    /** Seals the ids handed out (no SSIN readable in them, no forged id accepted back). */
    private final DocumentIdCodec documentIds;
    /** At most so many searches at work, a short queue, then 503 (issue 13). */
    private final Admission admission;

    public SearchRoutes(AuditedAccessGate gate, FederatedSearch search, Network network,
                        Clock clock, BrokerParty self,
                        @Value("${record-broker.nihii-validation:lenient}") String nihiiValidation,
                        DocumentIdCodec documentIds, Admissions admissions) {
        this.documentIds = documentIds;
        this.admission = admissions.search();
        this.gate = gate;
        this.search = search;
        this.network = network;
        this.clock = clock;
        this.nihiiValidation = NihiiValidation.valueOf(nihiiValidation.toUpperCase(Locale.ROOT));
        this.self = self.hcparty();
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

        from("direct:patient-documents").routeId("patient-documents").process(this::restSearch);
        from("direct:soap-get-transaction-list").routeId("soap-get-transaction-list").process(this::soapSearch);
    }

    // ------------------------------------------------------------------ REST

    private void restSearch(Exchange exchange) {
        var message = exchange.getMessage();
        RestCaller who = RestCaller.of(exchange);
        Professional caller = who.caller();
        String ssin = message.getHeader("ssin", String.class);
        Set<String> types;
        LocalDate from;
        LocalDate to;
        SearchScope scope;
        int page;
        int pageSize;
        try {
            // every parameter is checked before the gate: a bad value never reaches it nor the audit trail
            RestInput.common(message);
            types = RestInput.types(message.getHeader("type"));
            from = InputRules.date("from", message.getHeader("from", String.class));
            to = InputRules.date("to", message.getHeader("to", String.class));
            String rawScope = InputRules.matching("scope", message.getHeader("scope", String.class), SCOPE,
                    "global or local");
            scope = rawScope == null ? SearchScope.GLOBAL : SearchScope.fromWire(rawScope);
            page = InputRules.integer("page", message.getHeader("page", String.class), 0, 0, MAX_PAGE);
            pageSize = InputRules.integer("pageSize", message.getHeader("pageSize", String.class), DEFAULT_PAGE_SIZE,
                    1, SearchQuery.MAX_PAGE_SIZE);
        } catch (InputRules.InvalidInputException e) {
            RestInput.refuse(exchange, e);
            return;
        } catch (IllegalArgumentException e) {
            Problems.problem(exchange, 400, "INVALID_PARAMETER", "type, from/to (yyyy-mm-dd), scope (global|local),"
                    + " page (>= 0) and pageSize (1-" + SearchQuery.MAX_PAGE_SIZE + ") are the filters");
            return;
        }
        String description = describe(scope, types, from, to, page, pageSize);
        // admitted before the gate: a refused search leaves no audit row (nothing was looked at)
        Admission.Permit permit;
        try {
            permit = admission.enter("rest");
        } catch (Admission.Overloaded e) {
            Problems.problem(exchange, 503, e.reason(), e.getMessage());
            message.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            return;
        }
        try (permit) {
            restSearch(exchange, who, caller, ssin, types, from, to, scope, page, pageSize, description);
        }
    }

    private void restSearch(Exchange exchange, RestCaller who, Professional caller, String ssin, Set<String> types,
                            LocalDate from, LocalDate to, SearchScope scope, int page, int pageSize,
                            String description) {
        // the hubs are asked while the audit row is written; nothing is answered before it is
        PendingDecision pending = gate.decideWhileRecording(new AccessRequest(caller, ssin, AccessAction.SEARCH, null,
                description, who.breakTheGlass(), "rest", who.requestId(), clock.instant(), who.client()));
        if (!pending.decided().allowed()) {
            who.deny(exchange, pending.recorded());
            return;
        }
        SearchQuery query;
        try {
            query = new SearchQuery(Ssin.parse(ssin), types, from, to, scope, page, pageSize);
        } catch (IllegalArgumentException e) {
            pending.recorded();
            Problems.problem(exchange, 400, "INVALID_PARAMETER", e.getMessage());
            return;
        }
        SearchPage result = search.search(caller, query, pending.decided().breakTheGlass());
        AccessDecision decision = pending.recorded();
        if (!decision.allowed()) {
            who.deny(exchange, decision);
            return;
        }
        Problems.json(exchange, 200, json(result));
    }

    private Map<String, Object> json(SearchPage page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("patient", page.result().patient().value());
        body.put("complete", page.complete());
        body.put("metahub", page.metahubAvailable() ? "ok" : "unavailable");
        body.put("page", page.page());
        body.put("pageSize", page.pageSize());
        body.put("total", page.total());
        body.put("documents", page.result().documents().stream().map(this::json).toList());
        body.put("hubs", page.result().hubs().stream().map(SearchRoutes::json).toList());
        return body;
    }

    private Map<String, Object> json(DocumentEntry d) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", documentIds.encode(d.id()));
        doc.put("hub", network.hubs().byEhpId(d.id().hubEhpId()).map(h -> h.code()).orElse(null));
        doc.put("type", d.type());
        doc.put("title", d.title());
        // RFC 3339 as the contract says: OffsetDateTime.toString() drops zero seconds ("12:00+01:00")
        doc.put("date", java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(d.dateTime()));
        if (d.author() != null) {
            doc.put("author", Map.of("nihii", d.author().nihii().value(), "name", d.author().name(),
                    "profession", d.author().profession()));
        }
        Map<String, Object> source = new LinkedHashMap<>();
        if (d.authorInstitution() != null) {
            source.put("institution", d.authorInstitution().name());
            source.put("nihii", d.authorInstitution().nihii().value());
        }
        source.put("hospital", d.sourceHospital()); // a hospital connected to the broker, else null (hub relays)
        doc.put("source", source);
        doc.put("mimeType", d.mimeType());
        doc.put("size", d.size());
        doc.put("sha256", d.sha256());
        return doc;
    }

    private static Map<String, Object> json(HubOutcome o) {
        Map<String, Object> hub = new LinkedHashMap<>();
        hub.put("hub", o.hub());
        hub.put("status", o.status().wire());
        hub.put("error", o.error());
        hub.put("tookMs", o.tookMs());
        return hub;
    }

    static String describe(SearchScope scope, Set<String> types, LocalDate from, LocalDate to, int page, int pageSize) {
        return "scope=" + scope.name().toLowerCase(Locale.ROOT) + (types.isEmpty() ? "" : " type=" + String.join(",", types))
                + (from == null ? "" : " from=" + from) + (to == null ? "" : " to=" + to)
                + " page=" + page + " pageSize=" + pageSize;
    }

    // ------------------------------------------------------------------ SOAP

    private void soapSearch(Exchange exchange) {
        GetTransactionListRequestType request = exchange.getMessage().getBody(GetTransactionListRequestType.class);
        if (request == null) {
            throw new SoapFault("GetTransactionList needs a request body", SoapFault.FAULT_CODE_CLIENT);
        }
        try {
            SoapInput.check(request); // before the gate: a bad value never reaches it nor the audit trail
        } catch (InputRules.InvalidInputException e) {
            throw SoapInput.fault(e);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        Professional caller = SoapCallers.actingPerson(request.getRequest(), nihiiValidation).orElse(null);
        String ssin = TransactionListSoap.patientOf(request);
        String requestId = SoapCallers.requestIdOf(request.getRequest());
        Set<String> types = TransactionListSoap.typesOf(request);
        LocalDate from = TransactionListSoap.fromOf(request);
        LocalDate to = TransactionListSoap.toOf(request);
        SearchScope scope = TransactionListSoap.scopeOf(request);
        int page = TransactionListSoap.pageOf(request);
        int pageSize = TransactionListSoap.pageSizeOf(request);
        Admission.Permit permit;
        try {
            permit = admission.enter("soap");
        } catch (Admission.Overloaded e) {
            // SOAP 1.1 answers every fault with HTTP 500: the code and the wait are in the fault string
            throw new be.recordbroker.soap.OverloadedFault(e, requestId);
        }
        try (permit) {
            soapSearch(exchange, request, now, caller, ssin, requestId, types, from, to, scope, page, pageSize);
        }
    }

    private void soapSearch(Exchange exchange, GetTransactionListRequestType request, OffsetDateTime now,
                            Professional caller, String ssin, String requestId, Set<String> types, LocalDate from,
                            LocalDate to, SearchScope scope, int page, int pageSize) {
        PendingDecision pending = gate.decideWhileRecording(new AccessRequest(caller, ssin, AccessAction.SEARCH, null,
                describe(scope, types, from, to, page, pageSize), TransactionListSoap.breakTheGlassOf(request), "soap",
                requestId, clock.instant(), SoapCallers.clientOf(exchange)));
        if (!pending.decided().allowed()) {
            exchange.getMessage().setBody(TransactionListSoap.denied(request, self, pending.recorded(), now));
            return;
        }
        SearchQuery query;
        try {
            query = new SearchQuery(Ssin.parse(ssin), types, from, to, scope, page, pageSize);
        } catch (IllegalArgumentException e) {
            pending.recorded();
            exchange.getMessage().setBody(TransactionListSoap.failed(request, self, "invalid.request", e.getMessage(), now));
            return;
        }
        SearchPage result = search.search(caller, query, pending.decided().breakTheGlass());
        AccessDecision decision = pending.recorded();
        if (!decision.allowed()) {
            exchange.getMessage().setBody(TransactionListSoap.denied(request, self, decision, now));
            return;
        }
        exchange.getMessage().setBody(TransactionListSoap.answer(request, self, result, now, documentIds));
    }
}
