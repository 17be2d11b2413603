package be.recordbroker.prod;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the prod-profile tests use: the server on 127.0.0.1:5432 (trust auth) that the developers' and CI's
 * machines run. Without one the tests are skipped, so ./mvnw verify passes on a bare machine; with
 * RECORD_BROKER_REQUIRE_POSTGRES=true (set by .ci/run) a missing server fails them instead.
 */
public final class LocalPostgres {

    public static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String USER = System.getenv().getOrDefault("PGUSER", "postgres");

    private LocalPostgres() {
    }

    /** A fresh, empty database with this name; returns its JDBC URL. Skips (or fails, in CI) without a server. */
    public static String freshDatabase(String name) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, "");
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + name);
            return "jdbc:postgresql://127.0.0.1:5432/" + name;
        } catch (SQLException e) {
            if (Boolean.parseBoolean(System.getenv("RECORD_BROKER_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is required here but does not answer: "
                        + e.getMessage(), e);
            }
            Assumptions.abort("no PostgreSQL on 127.0.0.1:5432 (" + e.getMessage() + "): prod-profile tests skipped");
            return null;
        }
    }

    /**
     * A login role (made when missing) that may read and write what the owner's migrations create in the database
     * {@code name}, nothing more: the broker's runtime role in prod (docs/configuration.md, the audit trail's roles).
     */
    public static void grantRuntimeRole(String name, String role) throws SQLException {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, "");
             Statement sql = admin.createStatement()) {
            sql.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN; "
                    + "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        }
        try (Connection owner = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name, USER, "");
             Statement sql = owner.createStatement()) {
            sql.execute("GRANT CONNECT ON DATABASE " + name + " TO " + role);
            sql.execute("GRANT USAGE ON SCHEMA public TO " + role);
            sql.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + USER
                    + " IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + role);
            sql.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + USER
                    + " IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO " + role);
        }
    }
}
