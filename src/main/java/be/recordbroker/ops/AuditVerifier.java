package be.recordbroker.ops;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import javax.sql.DataSource;

import be.recordbroker.audit.ChainVerification;
import be.recordbroker.audit.JdbcAuditTrail;

/**
 * Runs the audit chain's verification for ops, one at a time, on a connection of its own: a verification reads the
 * whole table, and twenty of them in parallel once held every pooled connection, so audited accesses failed
 * (issue 12). A second request while one runs is answered busy (429) rather than queued; the verification never
 * touches the pool the audit writer and the gate use.
 */
public final class AuditVerifier {

    private final Semaphore running = new Semaphore(1);
    private final Supplier<DataSource> ownConnection;
    private final be.recordbroker.audit.AuditKeys keys;

    /** @param ownConnection a data source outside the broker's pool (one physical connection per verification) */
    public AuditVerifier(Supplier<DataSource> ownConnection, be.recordbroker.audit.AuditKeys keys) {
        this.ownConnection = ownConnection;
        this.keys = keys;
    }

    /** The verification, or null when another one is running. */
    public ChainVerification verifyUnlessBusy() {
        if (!running.tryAcquire()) {
            return null;
        }
        try {
            return new JdbcAuditTrail(ownConnection.get(), keys).verify();
        } finally {
            running.release();
        }
    }
}
