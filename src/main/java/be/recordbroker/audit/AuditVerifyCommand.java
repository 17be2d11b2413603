package be.recordbroker.audit;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Verifies the audit chain from the command line, without starting the broker:
 * <pre>
 *   java -cp record-broker.jar -Dloader.main=be.recordbroker.audit.AuditVerifyCommand \
 *        org.springframework.boot.loader.launch.PropertiesLauncher --url=jdbc:postgresql://... --user=... --password=...
 * </pre>
 * Without arguments it reads DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD (the prod profile's variables). The
 * chain is keyed, so verification needs the keys: {@code --key=BASE64 --key-id=ID} (or RECORD_BROKER_AUDIT_KEY and
 * RECORD_BROKER_AUDIT_KEY_ID), or {@code --key-file=<data-dir>/audit/key} for a broker that generated its own;
 * {@code --retired-key.<id>=BASE64} for each rotated key; {@code --unkeyed-rows-up-to=N} (or
 * RECORD_BROKER_AUDIT_UNKEYED_ROWS_UP_TO) for rows from before the chain was keyed. Without a key, only an unkeyed
 * chain verifies: any keyed row is reported as unverifiable. An
 * H2 file can only be opened while the broker is stopped (use {@code GET /api/v1/admin/audit/verify} while it runs).
 * Exit status: 0 intact, 1 broken, 2 could not check.
 */
public final class AuditVerifyCommand {

    private AuditVerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                err.println("usage: AuditVerifyCommand [--url=JDBC_URL] [--user=USER] [--password=PASSWORD]"
                        + " [--key=BASE64 | --key-file=PATH] [--key-id=ID] [--retired-key.ID=BASE64]..."
                        + " [--unkeyed-rows-up-to=SEQ]");
                return 2;
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String url = options.getOrDefault("url", env.get("DATABASE_URL"));
        if (url == null || url.isBlank()) {
            err.println("no database: give --url=... or set DATABASE_URL");
            return 2;
        }
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url,
                options.getOrDefault("user", env.getOrDefault("DATABASE_USER", "")),
                options.getOrDefault("password", env.getOrDefault("DATABASE_PASSWORD", "")));
        try {
            ChainVerification result = new JdbcAuditTrail(dataSource, keys(options, env)).verify();
            out.println(result.describe());
            return result.intact() ? 0 : 1;
        } catch (RuntimeException e) { // NOPMD: bad keys included
            err.println("could not verify the audit chain: " + e.getMessage());
            return 2;
        }
    }

    static AuditKeys keys(Map<String, String> options, Map<String, String> env) {
        String key = options.getOrDefault("key", env.get("RECORD_BROKER_AUDIT_KEY"));
        if ((key == null || key.isBlank()) && options.containsKey("key-file")) {
            try {
                key = java.nio.file.Files.readString(java.nio.file.Path.of(options.get("key-file"))).strip();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read " + options.get("key-file") + ": " + e.getMessage());
            }
        }
        long unkeyedUpTo = Long.parseLong(options.getOrDefault("unkeyed-rows-up-to",
                env.getOrDefault("RECORD_BROKER_AUDIT_UNKEYED_ROWS_UP_TO", "0")));
        if (key == null || key.isBlank()) {
            return AuditKeys.unkeyed();
        }
        Map<String, String> retired = new HashMap<>();
        options.forEach((name, value) -> {
            if (name.startsWith("retired-key.")) {
                retired.put(name.substring("retired-key.".length()), value);
            }
        });
        return AuditKeys.of(options.getOrDefault("key-id", env.getOrDefault("RECORD_BROKER_AUDIT_KEY_ID", "k1")), key,
                retired, unkeyedUpTo);
    }
}
