package be.recordbroker.retrieve;

/**
 * Where a document's bytes come from: the source hospital's REST endpoint, its IntraHub (KMEHR) document source, or
 * the owning hub's GetTransaction, which relays to a hospital the broker is not connected to. The {@link #tag()} is
 * the {@code route} tag of the retrieval metrics.
 */
public enum SourceRoute {
    REST_SOURCE("rest-source"),
    SOAP_SOURCE("soap-source"),
    HUB_RELAY("hub-relay");

    private final String tag;

    SourceRoute(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
