package be.recordbroker.search;

import be.recordbroker.domain.SearchResult;

/**
 * One page of a federated search: the documents of the page (newest first) with every hub's outcome, the number of
 * documents over all pages, and whether the metahub told which hubs know the patient (when it could not, every hub
 * was asked).
 */
public record SearchPage(SearchResult result, int total, int page, int pageSize, boolean metahubAvailable) {

    public boolean complete() {
        return result.complete();
    }
}
