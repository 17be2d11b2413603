package be.recordbroker.fhir;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.IResourceProvider;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.access.AuditedAccessGate.PendingDecision;
import be.recordbroker.admission.Admission;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.domain.Ssin;
import be.recordbroker.security.RestCaller;
import be.recordbroker.search.FederatedSearch;
import be.recordbroker.search.SearchPage;
import be.recordbroker.security.CallerAuthentication;

/**
 * ITI-67 Find Document References: {@code GET /fhir/DocumentReference?...} and {@code POST
 * /fhir/DocumentReference/_search} (form body; HAPI gives both to this method). The same path as the REST search:
 * the identity Spring Security verified → parameters checked → admission (the search lane shared with REST and SOAP;
 * 503 OVERLOADED with Retry-After) → gate (search; audited, face {@code fhir}) → {@link FederatedSearch} → one page, {@code _offset}/{@code _count} being the REST face's page/pageSize. Any
 * parameter not declared here is refused by HAPI (400), which is FHIR's {@code handling=strict}.
 */
public class DocumentReferenceProvider implements IResourceProvider {

    static final int DEFAULT_COUNT = 50;

    private final AuditedAccessGate gate;
    private final FederatedSearch search;
    private final DocumentReferences references;
    /** The search lane (issue 13), shared with the REST and SOAP faces. */
    private final Admission admission;
    private final Clock clock;
    /** The next/previous links (the query sealed: no patient in a URL). */
    private final PageLinks links;

    public DocumentReferenceProvider(AuditedAccessGate gate, FederatedSearch search, DocumentReferences references,
                                     Admission admission, Clock clock, PageLinks links) {
        this.links = links;
        this.gate = gate;
        this.search = search;
        this.references = references;
        this.admission = admission;
        this.clock = clock;
    }

    @Override
    public Class<DocumentReference> getResourceType() {
        return DocumentReference.class;
    }

    /**
     * Returns the searchset Bundle itself ({@link SearchPageBundle}), not an {@code IBundleProvider}: HAPI then sends
     * it as it is, without its BundleFactory's walk of every resource for {@code _include} targets.
     */
    @Search(allowUnknownParams = false)
    public Bundle find(
            @RequiredParam(name = DocumentReference.SP_PATIENT, chainWhitelist = {"identifier"}) ReferenceParam patient,
            @OptionalParam(name = DocumentReference.SP_STATUS) TokenOrListParam status,
            @OptionalParam(name = DocumentReference.SP_TYPE) TokenOrListParam type,
            @OptionalParam(name = DocumentReference.SP_CATEGORY) TokenOrListParam category,
            @OptionalParam(name = DocumentReference.SP_DATE) DateRangeParam date,
            @Count Integer count, @Offset Integer offset,
            HttpServletRequest http, RequestDetails details) {
        String requestId = details.getRequestId();
        String ssin;
        Set<String> types;
        Set<String> statuses;
        LocalDate[] dates;
        int pageSize;
        int page;
        String breakTheGlass;
        try {
            // every parameter is checked before the gate: a bad value never reaches it nor the audit trail
            ssin = FhirSearchInput.patientSsin(patient);
            types = FhirSearchInput.transactionCodes("type", type);
            types.addAll(FhirSearchInput.transactionCodes("category", category));
            statuses = FhirSearchInput.statuses(status);
            dates = FhirSearchInput.dates(date);
            pageSize = InputRules.bounded("_count", count == null ? DEFAULT_COUNT : count, 1,
                    SearchQuery.MAX_PAGE_SIZE);
            int first = InputRules.bounded("_offset", offset == null ? 0 : offset, 0,
                    FhirSearchInput.MAX_OFFSET);
            if (first % pageSize != 0) {
                throw new InputRules.InvalidInputException("_offset", "a multiple of _count");
            }
            page = first / pageSize;
            breakTheGlass = InputRules.text(RestCaller.BREAK_THE_GLASS_HEADER,
                    http.getHeader(RestCaller.BREAK_THE_GLASS_HEADER), InputRules.MAX_BREAK_THE_GLASS);
        } catch (InputRules.InvalidInputException e) {
            throw FhirOutcomes.refusal(400, "INVALID_PARAMETER", e.getMessage(), requestId);
        }
        try (Admission.Permit permit = FhirOutcomes.admitted(admission, requestId)) {
            return searchAdmitted(ssin, types, statuses, dates, page, pageSize, breakTheGlass, requestId, details);
        }
    }

    private Bundle searchAdmitted(String ssin, Set<String> types, Set<String> statuses, LocalDate[] dates,
                                  int page, int pageSize, String breakTheGlass, String requestId,
                                  RequestDetails details) {
        CallerAuthentication who = RestCaller.current();
        Professional caller = who == null ? null : who.caller();
        String description = "scope=global" + (types.isEmpty() ? "" : " type=" + String.join(",", types))
                + (dates[0] == null ? "" : " from=" + dates[0]) + (dates[1] == null ? "" : " to=" + dates[1])
                + (statuses.isEmpty() ? "" : " status=" + String.join(",", statuses))
                + " page=" + page + " pageSize=" + pageSize;
        // the hubs are asked while the audit row is written; nothing is answered before it is
        PendingDecision pending = gate.decideWhileRecording(new AccessRequest(caller, ssin, AccessAction.SEARCH, null,
                description, breakTheGlass, "fhir", requestId, clock.instant(), who == null ? null : who.client()));
        if (!pending.decided().allowed()) {
            throw denied(pending.recorded(), requestId);
        }
        SearchQuery query;
        try {
            query = new SearchQuery(Ssin.parse(ssin), types, dates[0], dates[1], SearchScope.GLOBAL, page, pageSize);
        } catch (IllegalArgumentException e) {
            pending.recorded();
            throw FhirOutcomes.refusal(400, "INVALID_PARAMETER", e.getMessage(), requestId);
        }
        SearchPage result = search.search(caller, query, pending.decided().breakTheGlass());
        AccessDecision decision = pending.recorded();
        if (!decision.allowed()) {
            throw denied(decision, requestId);
        }
        return page(result, statuses, page * pageSize, pageSize, requestId, details);
    }

    private Bundle page(SearchPage result, Set<String> statuses, int offset, int pageSize, String requestId,
                        RequestDetails details) {
        String base = details.getFhirServerBase();
        List<DocumentReference> matches = new ArrayList<>();
        boolean filtered = false;
        for (DocumentEntry entry : result.result().documents()) {
            DocumentReference ref = references.of(entry, base);
            if (!statuses.isEmpty() && !statuses.contains(ref.getStatus().toCode())) {
                filtered = true; // a status filter the hubs cannot apply: applied to the page
                continue;
            }
            matches.add(ref);
        }
        // the total is the federated search's; with a status filter that removed documents it is not known, but
        // whether a page follows still is
        return SearchPageBundle.of(matches, partial(result, requestId), filtered ? null : result.total(),
                offset + pageSize < result.total(), offset, pageSize, details, links);
    }

    /** One outcome naming every hub that was not searched completely, like the REST face's {@code hubs}. */
    static OperationOutcome partial(SearchPage result, String requestId) {
        OperationOutcome outcome = null;
        if (!result.metahubAvailable()) {
            outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.INCOMPLETE)
                    .setDiagnostics("metahub unavailable: every hub was asked");
        }
        for (HubOutcome hub : result.result().hubs()) {
            if (!hub.status().isFailure()) {
                continue;
            }
            if (outcome == null) {
                outcome = new OperationOutcome();
            }
            outcome.addIssue().setSeverity(IssueSeverity.WARNING)
                    .setCode(hub.status().wire().equals("timeout") ? IssueType.TIMEOUT : IssueType.INCOMPLETE)
                    .setDetails(new org.hl7.fhir.r4.model.CodeableConcept()
                            .addCoding(new org.hl7.fhir.r4.model.Coding("urn:record-broker:hub-status",
                                    hub.status().wire(), null))
                            .setText(hub.hub()))
                    .setDiagnostics("hub " + hub.hub() + ": " + hub.status().wire()
                            + (hub.error() == null ? "" : " (" + hub.error() + ")"))
                    .addExpression("hub." + hub.hub());
        }
        if (outcome != null) {
            outcome.setId(be.recordbroker.web.RequestIds.newId()); // a searchset entry needs a fullUrl
        }
        if (outcome != null && requestId != null) {
            outcome.addExtension(FhirOutcomes.REQUEST_ID_EXTENSION, new org.hl7.fhir.r4.model.StringType(requestId));
        }
        return outcome;
    }

    static RuntimeException denied(AccessDecision decision, String requestId) {
        return FhirOutcomes.refusal(decision.reason().httpStatus(), decision.reason().name(), decision.detail(),
                requestId);
    }
}
