package be.recordbroker.search;

import java.util.List;

import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.HubOutcome;

/** What one hub answered to a federated search (its documents, in its order), or why it did not. */
public record HubAnswer(HubOutcome outcome, List<DocumentEntry> documents) {
}
