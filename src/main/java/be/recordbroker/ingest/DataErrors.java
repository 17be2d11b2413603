package be.recordbroker.ingest;

import java.sql.SQLException;

import be.recordbroker.domain.DocumentDeclaration;

/**
 * Whether applying a message failed on the message's own data, which no redelivery mends: a declaration the domain
 * refuses ({@link DocumentDeclaration.InvalidDeclarationException}, e.g. a document number over 199 characters) or a
 * value the ledger cannot hold (SQL state class 22, "data exception": too long, out of range, malformed). Not any
 * {@link IllegalArgumentException} (a hub gone from the network file is one, and ops may put it back), nor a
 * constraint violation (class 23: another instance writing the same row is a race, not bad data).
 */
public final class DataErrors {

    private DataErrors() {
    }

    public static boolean permanent(Throwable failure) {
        if (failure instanceof DocumentDeclaration.InvalidDeclarationException) {
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
