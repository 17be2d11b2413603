package be.recordbroker.domain;

/** Lifecycle state of a shared document as reported by its hub. */
public enum DocumentStatus {
    /** Current and retrievable. */
    AVAILABLE,
    /** Withdrawn by its author; must not be returned in lists and a retrieve must fail. */
    REVOKED,
    /** Superseded by a newer version of the same document. */
    REPLACED
}
