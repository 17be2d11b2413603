package be.recordbroker.network;

import be.recordbroker.domain.Nihii;

/**
 * A hospital connected to the broker: its HL7 feed is recognised by {@code facilityId} (MSH-4), it declares at
 * {@code hubCode}, and its documents are fetched from {@code source}. {@code tlsIdentity} is the subject DN of the
 * client certificate its MLLP sender presents (null: none named, it cannot send over TLS).
 */
public record Hospital(String name, String facilityId, Nihii nihii, String hubCode, DocumentSource source,
                       String tlsIdentity) {

    /** A hospital with no TLS identity (plaintext MLLP only). */
    public Hospital(String name, String facilityId, Nihii nihii, String hubCode, DocumentSource source) {
        this(name, facilityId, nihii, hubCode, source, null);
    }

    /** REST sources stream bytes from {@code url} with {localId} filled in; SOAP sources answer IntraHub GetTransaction. */
    public record DocumentSource(NetworkProperties.SourceKind kind, HttpEndpoint endpoint) {
    }
}
