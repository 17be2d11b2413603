package be.recordbroker.ingest;

/**
 * A T11 or T10 names a document of its own hospital that the applied ledger does not know yet. Its declaration may
 * still be in another instance's hands: an instance killed while applying the T02 gives it back to the queue only
 * once Artemis has seen the connection fail, and the patient's group may meanwhile be bound to a consumer elsewhere
 * that receives the next message first. Neither a hub failure (no hub pause) nor yet a permanent one: the message waits
 * at the end of its hub's queue and is tried again ({@code record-broker.ingest.redelivery.unannounced-*}).
 */
public class DocumentNotYetAnnounced extends RuntimeException {

    public DocumentNotYetAnnounced(String message) {
        super(message, null, false, false); // an expected wait: no stack trace to fill
    }
}
