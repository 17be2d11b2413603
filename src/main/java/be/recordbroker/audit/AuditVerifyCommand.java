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
 * Without arguments it reads DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD (the prod profile's variables). An
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
                err.println("usage: AuditVerifyCommand [--url=JDBC_URL] [--user=USER] [--password=PASSWORD]");
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
            ChainVerification result = new JdbcAuditTrail(dataSource).verify();
            out.println(result.describe());
            return result.intact() ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("could not verify the audit chain: " + e.getMessage());
            return 2;
        }
    }
}
