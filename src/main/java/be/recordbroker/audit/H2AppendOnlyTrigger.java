package be.recordbroker.audit;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/** Refuses UPDATE and DELETE on the H2 audit table (PostgreSQL has a plpgsql trigger to the same end). */
public class H2AppendOnlyTrigger implements Trigger {

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("audit_event is append-only", "45000");
    }
}
