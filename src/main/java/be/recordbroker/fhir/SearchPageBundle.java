package be.recordbroker.fhir;

import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.Resource;

import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * One page already fetched (the federated search pages itself) as the {@code searchset} Bundle HAPI's offset paging
 * would make of it: {@code total}, the self, next and previous links ({@link PageLinks}: those to other pages have
 * the query sealed, naming no patient), each entry with its {@code fullUrl} and search mode. Made here rather than by
 * HAPI's BundleFactory (a search returning an {@code IBundleProvider}), which walks every element of every resource
 * looking for references to {@code _include} — the face serves no {@code _include} and its references carry no
 * resource, so that walk was CPU per search for nothing.
 */
final class SearchPageBundle {

    private SearchPageBundle() {
    }

    /**
     * @param matches  the page's documents ({@code search.mode = match})
     * @param outcome  the partial-results outcome ({@code search.mode = outcome}), or null
     * @param total    the Bundle's {@code total}, or null when it is not known
     * @param hasNext  whether a page follows this one
     * @param links    the next and previous links' maker
     */
    static Bundle of(List<? extends Resource> matches, Resource outcome, Integer total, boolean hasNext, int offset,
                     int pageSize, RequestDetails details, PageLinks links) {
        String base = details.getFhirServerBase();
        Bundle bundle = new Bundle();
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(new Date());
        bundle.setType(BundleType.SEARCHSET);
        if (total != null) {
            bundle.setTotal(total);
        }
        bundle.addLink().setRelation(IBaseBundle.LINK_SELF).setUrl(links.self(details));
        if (hasNext) {
            bundle.addLink().setRelation(IBaseBundle.LINK_NEXT).setUrl(links.link(details, offset + pageSize, pageSize));
        }
        if (offset > 0) {
            bundle.addLink().setRelation(IBaseBundle.LINK_PREV).setUrl(links.link(details, Math.max(0, offset - pageSize),
                    pageSize));
        }
        for (Resource match : matches) {
            add(bundle, match, SearchEntryMode.MATCH, base);
        }
        if (outcome != null) {
            add(bundle, outcome, SearchEntryMode.OUTCOME, base);
        }
        return bundle;
    }

    private static void add(Bundle bundle, Resource resource, SearchEntryMode mode, String base) {
        bundle.addEntry().setFullUrl(base + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                .setResource(resource).getSearch().setMode(mode);
    }
}
