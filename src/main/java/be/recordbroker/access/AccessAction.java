package be.recordbroker.access;

/** What the caller wants to do with a patient's data. */
public enum AccessAction {
    /** List the patient's documents (the matrix must allow at least {@code list} for each document shown). */
    SEARCH("search"),
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
