package be.recordbroker.network;

import be.recordbroker.domain.Nihii;

/**
 * A hospital connected to the broker: its HL7 feed is recognised by {@code facilityId} (MSH-4), it declares at
 * {@code hubCode}, and its documents are fetched from {@code source}.
 */
public record Hospital(String name, String facilityId, Nihii nihii, String hubCode, DocumentSource source) {

    /** REST sources stream bytes from {@code url} with {localId} filled in; SOAP sources answer IntraHub GetTransaction. */
    public record DocumentSource(NetworkProperties.SourceKind kind, HttpEndpoint endpoint) {
    }
}
