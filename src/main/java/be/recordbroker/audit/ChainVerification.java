package be.recordbroker.audit;

/**
 * The result of walking the audit chain: how many rows were checked and, if the chain is broken, the first row
 * ({@code seq}) that does not fit and why.
 */
public record ChainVerification(boolean intact, long rowsChecked, Long firstBrokenRow, String problem) {

    static ChainVerification ok(long rows) {
        return new ChainVerification(true, rows, null, null);
    }

    static ChainVerification broken(long rows, long seq, String problem) {
        return new ChainVerification(false, rows, seq, problem);
    }

    /** One line for people and logs. */
    public String describe() {
        return intact ? "audit chain intact: " + rowsChecked + " rows"
                : "audit chain BROKEN at row " + firstBrokenRow + ": " + problem + " (" + rowsChecked + " rows checked)";
    }
}
