package be.recordbroker.routes;

import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.admission.Admission;
import be.recordbroker.admission.Admissions;
import be.recordbroker.domain.SearchQuery;
import be.recordbroker.domain.Ssin;
import be.recordbroker.search.FederatedSearch;

/**
 * The steps both search faces share (admit → gate → search → record), as beans of their routes ({@link SearchRoutes}).
 * A step that refuses answers through the request's face and stops the route.
 */
@Component
class SearchSteps {

    private final AuditedAccessGate gate;
    private final FederatedSearch search;
    private final Clock clock;
    /** At most so many searches at work, a short queue, then 503 (issue 13). */
    private final Admission admission;

    SearchSteps(AuditedAccessGate gate, FederatedSearch search, Clock clock, Admissions admissions) {
        this.gate = gate;
        this.search = search;
        this.clock = clock;
        this.admission = admissions.search();
    }

    /**
     * admit: a place among the searches at work, held until the answer is made; refused before the gate, so a
     * refused search leaves no audit row (nothing was looked at). A REST search holds its place already (taken in
     * front of Spring Security: AdmissionConfiguration); one that came past that filter is admitted here.
     */
    public void admit(SearchRequest request, Exchange exchange) {
        if (request.face.admittedInFront(exchange, admission)) {
            return;
        }
        Admission.Permit permit;
        try {
            permit = admission.enter(request.face.name());
        } catch (Admission.Overloaded e) {
            request.face.overloaded(exchange, request, e);
            exchange.setRouteStop(true);
            return;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                permit.close();
            }
        });
    }

    /** gate: the audited decision; the hubs are asked while its row is written. */
    public void gate(SearchRequest request, Exchange exchange) {
        request.pending = gate.decideWhileRecording(new AccessRequest(request.caller, request.ssin,
                AccessAction.SEARCH, null, request.description(), request.breakTheGlass, request.face.name(),
                request.requestId, clock.instant(), request.client));
        if (!request.pending.decided().allowed()) {
            request.face.deny(exchange, request, request.pending.recorded());
            exchange.setRouteStop(true);
        }
    }

    /** search: the federated search (locate → fan-out → merge → filter → page: routes/FederatedSearchRoutes.java). */
    public void search(SearchRequest request, Exchange exchange) {
        SearchQuery query;
        try {
            query = new SearchQuery(Ssin.parse(request.ssin), request.types, request.from, request.to, request.scope,
                    request.page, request.pageSize);
        } catch (IllegalArgumentException e) {
            request.pending.recorded();
            request.face.invalid(exchange, request, e);
            exchange.setRouteStop(true);
            return;
        }
        request.found = search.search(request.caller, query, request.pending.decided().breakTheGlass());
    }

    /** record: nothing is answered before the audit row is written (a row that cannot be: denied). */
    public void record(SearchRequest request, Exchange exchange) {
        AccessDecision decision = request.pending.recorded();
        if (!decision.allowed()) {
            request.face.deny(exchange, request, decision);
            exchange.setRouteStop(true);
        }
    }
}
