package be.recordbroker.access;

import java.util.Objects;

/**
 * The document an access is about, as the gate needs it: where it is declared (hub code, the hub's source label and
 * the local id, which together ask the hub for its access rights) and its CD-TRANSACTION type (for the matrix).
 *
 * @param id opaque document id shown to callers and written to the audit trail; may be null
 */
public record DocumentRef(String hub, String sourceLabel, String localId, String transactionType, String id) {

    public DocumentRef {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(sourceLabel, "sourceLabel");
        Objects.requireNonNull(localId, "localId");
        Objects.requireNonNull(transactionType, "transactionType");
    }
}
