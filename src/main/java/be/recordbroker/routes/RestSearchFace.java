package be.recordbroker.routes;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.admission.Admission;
import be.recordbroker.admission.AdmissionFilter;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.network.Network;
import be.recordbroker.web.Problems;
import be.recordbroker.security.RestCaller;
import be.recordbroker.web.RestInput;
import be.recordbroker.search.SearchPage;

/**
 * The REST face of the search ({@code GET /api/v1/patients/{ssin}/documents}): {@link #identify} reads the caller and
 * checks every parameter before the gate (400 with no audit row); refusals as problem+json; the page as JSON.
 */
@Component
class RestSearchFace implements SearchRequest.Face {

    private static final java.util.regex.Pattern SCOPE = java.util.regex.Pattern.compile("(?i)global|local");

    private final Network network;
    /** Seals the ids handed out (no SSIN readable in them, no forged id accepted back). */
    private final DocumentIdCodec documentIds;
    private final Problems problems;

    RestSearchFace(Network network, DocumentIdCodec documentIds, Problems problems) {
        this.network = network;
        this.documentIds = documentIds;
        this.problems = problems;
    }

    @Override
    public String name() {
        return "rest";
    }

    /**
     * identify: the verified caller (on the request's own thread, where the security context is) and the filters
     * ({@code type} repeatable or comma-separated, {@code from}, {@code to}, {@code scope}, {@code page},
     * {@code pageSize}); a bad value never reaches the gate nor the audit trail.
     */
    public void identify(Exchange exchange) {
        var message = exchange.getMessage();
        RestCaller who = RestCaller.of(exchange);
        Set<String> types;
        LocalDate from;
        LocalDate to;
        SearchScope scope;
        int page;
        int pageSize;
        try {
            RestInput.common(message);
            types = RestInput.types(message.getHeader("type"));
            from = InputRules.date("from", message.getHeader("from", String.class));
            to = InputRules.date("to", message.getHeader("to", String.class));
            String rawScope = InputRules.matching("scope", message.getHeader("scope", String.class), SCOPE,
                    "global or local");
            scope = rawScope == null ? SearchScope.GLOBAL : SearchScope.fromWire(rawScope);
            page = InputRules.integer("page", message.getHeader("page", String.class), 0, 0, SearchRoutes.MAX_PAGE);
            pageSize = InputRules.integer("pageSize", message.getHeader("pageSize", String.class),
                    SearchRoutes.DEFAULT_PAGE_SIZE, 1, SearchQuery.MAX_PAGE_SIZE);
        } catch (InputRules.InvalidInputException e) {
            problems.invalidParameter(exchange, e);
            exchange.setRouteStop(true);
            return;
        } catch (IllegalArgumentException e) {
            problems.problem(exchange, 400, "INVALID_PARAMETER", "type, from/to (yyyy-mm-dd), scope (global|local),"
                    + " page (>= 0) and pageSize (1-" + SearchQuery.MAX_PAGE_SIZE + ") are the filters");
            exchange.setRouteStop(true);
            return;
        }
        message.setBody(new SearchRequest(this, who.caller(), message.getHeader("ssin", String.class), types, from, to,
                scope, page, pageSize, who.breakTheGlass(), who.requestId(), who.client(), null, null));
    }

    @Override
    public void deny(Exchange exchange, SearchRequest request, AccessDecision decision) {
        problems.denied(exchange, decision);
    }

    @Override
    public void invalid(Exchange exchange, SearchRequest request, IllegalArgumentException e) {
        problems.problem(exchange, 400, "INVALID_PARAMETER", e.getMessage());
    }

    @Override
    public void overloaded(Exchange exchange, SearchRequest request, Admission.Overloaded e) {
        problems.problem(exchange, 503, e.reason(), e.getMessage());
        exchange.getMessage().setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
    }

    /** The filter in front of Spring Security (AdmissionConfiguration) took the place; the route runs on its thread. */
    @Override
    public boolean admittedInFront(Exchange exchange, Admission lane) {
        return AdmissionFilter.admittedOnThisThread(lane);
    }

    /** answer: the page as JSON. */
    @Override
    public void answer(Exchange exchange, SearchRequest request) {
        problems.json(exchange, 200, json(request.found));
    }

    /** The answer's JSON (docs/openapi.md), typed: Jackson writes records with their own serializers, no map each. */
    record Answer(String patient, boolean complete, String metahub, int page, int pageSize, int total,
                  List<Document> documents, List<Hub> hubs) {
    }

    record Document(String id, String hub, String type, String title, String date,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Author author, Source source, String mimeType,
                    Long size, String sha256) {
    }

    record Author(String nihii, String name, String profession) {
    }

    /** Where the document comes from: the author's institution when known, the broker's hospital or null. */
    record Source(@JsonInclude(JsonInclude.Include.NON_NULL) String institution,
                  @JsonInclude(JsonInclude.Include.NON_NULL) String nihii, String hospital) {
    }

    record Hub(String hub, String status, String error, long tookMs) {
    }

    private Answer json(SearchPage page) {
        return new Answer(page.result().patient().value(), page.complete(),
                page.metahubAvailable() ? "ok" : "unavailable", page.page(), page.pageSize(), page.total(),
                page.result().documents().stream().map(this::json).toList(),
                page.result().hubs().stream().map(o -> new Hub(o.hub(), o.status().wire(), o.error(), o.tookMs()))
                        .toList());
    }

    private Document json(DocumentEntry d) {
        return new Document(documentIds.encode(d.id()),
                network.hubs().byEhpId(d.id().hubEhpId()).map(h -> h.code()).orElse(null), d.type(), d.title(),
                // RFC 3339 as the contract says: OffsetDateTime.toString() drops zero seconds ("12:00+01:00")
                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(d.dateTime()),
                d.author() == null ? null
                        : new Author(d.author().nihii().value(), d.author().name(), d.author().profession()),
                // the hospital: one connected to the broker, else null (hub relays)
                new Source(d.authorInstitution() == null ? null : d.authorInstitution().name(),
                        d.authorInstitution() == null ? null : d.authorInstitution().nihii().value(),
                        d.sourceHospital()),
                d.mimeType(), d.size(), d.sha256());
    }
}
