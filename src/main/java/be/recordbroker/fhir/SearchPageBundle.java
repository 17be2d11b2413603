package be.recordbroker.fhir;

import java.util.List;

import org.hl7.fhir.instance.model.api.IBaseResource;

import ca.uhn.fhir.rest.server.SimpleBundleProvider;

/**
 * One page already fetched (the federated search pages itself): HAPI's offset paging builds the self/next/previous
 * links from {@code _offset} and {@code _count}, and every resource of the page is answered whatever the indices asked.
 */
final class SearchPageBundle extends SimpleBundleProvider {

    private final List<IBaseResource> page;

    SearchPageBundle(List<IBaseResource> page, Integer total, int offset, int pageSize) {
        super(page);
        this.page = page;
        setSize(total);
        setCurrentPageOffset(offset);
        setCurrentPageSize(pageSize);
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        return page;
    }
}
