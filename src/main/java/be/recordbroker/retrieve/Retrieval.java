package be.recordbroker.retrieve;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.Hub;
import be.recordbroker.network.Hospital;

/**
 * One retrieval as it passes the route's steps; each step fills in what it learnt. Metadata only: the content never
 * travels in this object (it is opened as the last step and streamed by the face).
 *
 * @param id       the decoded document id (after the decode step)
 * @param hub      the hub that lists the document (after the decode step)
 * @param entry    the hub's entry for it: type, author, source hospital (after the locate step, which only runs for
 *                 a caller the patient-level gate allowed)
 * @param route    where the bytes will come from (after the locate step)
 * @param hospital the connected source hospital, null for a hub relay
 * @param decision the gate's permission: the patient-level one after {@code authorisePatient}, the document-level
 *                 one after {@code authoriseDocument} (its break-the-glass text is the only one passed on to a hub)
 */
public record Retrieval(RetrieveRequest request, DocumentId id, Hub hub, DocumentEntry entry, SourceRoute route,
                        Hospital hospital, AccessDecision decision) {

    public static Retrieval of(RetrieveRequest request) {
        return new Retrieval(request, null, null, null, null, null, null);
    }

    Retrieval decoded(DocumentId id, Hub hub) {
        return new Retrieval(request, id, hub, entry, route, hospital, decision);
    }

    Retrieval located(DocumentEntry entry, SourceRoute route, Hospital hospital) {
        return new Retrieval(request, id, hub, entry, route, hospital, decision);
    }

    Retrieval allowed(AccessDecision decision) {
        return new Retrieval(request, id, hub, entry, route, hospital, decision);
    }

    /** The route tag for metrics, {@code none} before the document was located. */
    public String routeTag() {
        return route == null ? "none" : route.tag();
    }

    /** Ids only (the entry and the request hold names and patient data). */
    @Override
    public String toString() {
        return "Retrieval[request=" + request + ", id=" + id + ", route=" + routeTag() + "]";
    }
}
