package be.recordbroker.ingest;

import java.sql.SQLException;

/**
 * Whether applying a message failed on the message's own data, which no redelivery mends: a value the domain refuses
 * ({@link IllegalArgumentException}, e.g. a document number over 199 characters) or one the ledger cannot hold (SQL
 * state class 22, "data exception": a value too long, out of range, malformed). Not a constraint violation (class 23):
 * another instance writing the same row is a race, not bad data.
 */
public final class DataErrors {

    private DataErrors() {
    }

    public static boolean permanent(Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }
}
