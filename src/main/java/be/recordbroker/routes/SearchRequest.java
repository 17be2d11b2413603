package be.recordbroker.routes;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Set;

import org.apache.camel.Exchange;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AuditedAccessGate.PendingDecision;
import be.recordbroker.admission.Admission;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.search.SearchPage;

/**
 * One search request on its way through a face's route ({@link SearchRoutes}): who asks, what, through which face;
 * then the gate's pending decision and the page found. The face answers refusals and the page in its own terms.
 */
final class SearchRequest {

    /** How a face answers: a refusal (then the route stops) or the page. */
    interface Face {
        /** {@code rest}, {@code soap}: the admission lane's face and the audit row's channel. */
        String name();

        void deny(Exchange exchange, SearchRequest request, AccessDecision decision);

        void invalid(Exchange exchange, SearchRequest request, IllegalArgumentException e);

        void overloaded(Exchange exchange, SearchRequest request, Admission.Overloaded e);

        /** Whether the request holds a place of {@code lane} already, taken in front of the route. */
        default boolean admittedInFront(Exchange exchange, Admission lane) {
            return false;
        }

        void answer(Exchange exchange, SearchRequest request);
    }

    final Face face;
    final Professional caller;
    final String ssin;
    final Set<String> types;
    final LocalDate from;
    final LocalDate to;
    final SearchScope scope;
    final int page;
    final int pageSize;
    final String breakTheGlass;
    final String requestId;
    final String client;
    final OffsetDateTime received;
    /** The face's own request (SOAP: the GetTransactionList request its answer echoes), or null. */
    final Object original;

    PendingDecision pending;
    SearchPage found;

    SearchRequest(Face face, Professional caller, String ssin, Set<String> types, LocalDate from, LocalDate to,
                  SearchScope scope, int page, int pageSize, String breakTheGlass, String requestId, String client,
                  OffsetDateTime received, Object original) {
        this.face = face;
        this.caller = caller;
        this.ssin = ssin;
        this.types = types;
        this.from = from;
        this.to = to;
        this.scope = scope;
        this.page = page;
        this.pageSize = pageSize;
        this.breakTheGlass = breakTheGlass;
        this.requestId = requestId;
        this.client = client;
        this.received = received;
        this.original = original;
    }

    /** What the audit row says was asked (no patient data: the filters only). */
    String description() {
        return SearchRoutes.describe(scope, types, from, to, page, pageSize);
    }
}
