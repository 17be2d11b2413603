package be.recordbroker.access;

/** What the caller wants to do with a patient's data. */
public enum AccessAction {
    /** List the patient's documents (the matrix must allow at least {@code list} for each document shown). */
    SEARCH("search"),
    /**
     * Retrieval's first decision, taken before the document's hub is asked where it is: may this caller see this
     * patient's documents at all (identity, consent, exclusion, link or break-the-glass, representation). A failed
     * locate is recorded under it too.
     */
    LOCATE("locate"),
    /** Read one document (matrix {@code read}, no {@code disallow} access right). */
    READ("read"),
    /** Read who accessed the patient's data. */
    AUDIT_TRAIL("audit-trail");

    private final String code;

    AccessAction(String code) {
        this.code = code;
    }

    /** The value stored in audit rows. */
    public String code() {
        return code;
    }
}
