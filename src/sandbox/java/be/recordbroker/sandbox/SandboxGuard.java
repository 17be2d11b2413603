package be.recordbroker.sandbox;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.util.StringUtils;

/**
 * Refuses to start the sandbox where it could be mistaken for (or reached as) a real broker: together with the
 * {@code prod} profile, or with the HTTP server, the management server or the MLLP listener bound to anything but
 * loopback. The sandbox hands out tokens for any identity and serves a made-up network; on a reachable interface
 * anyone could read the broker as anyone. Runs after the config files are read, before any bean is made.
 */
public class SandboxGuard implements EnvironmentPostProcessor, Ordered {

    /** The addresses checked: the HTTP server, the management server (when on its own port), the MLLP listener. */
    static final List<String> BIND_PROPERTIES = List.of("server.address", "management.server.address",
            "record-broker.mllp.bind-address", "record-broker.mllp.host");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // Spring Boot refuses management.server.address without a port of its own, so the sandbox yaml cannot set it
        // for every case: a separate management port with no address gets loopback here (lowest precedence)
        if (environment.acceptsProfiles(Profiles.of(SandboxDefaultProfile.PROFILE)) && separateManagementPort(environment)
                && !StringUtils.hasText(environment.getProperty("management.server.address"))) {
            environment.getPropertySources().addLast(new MapPropertySource("sandboxLoopbackManagement",
                    Map.of("management.server.address", "127.0.0.1")));
        }
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new SandboxRefusedException(problems);
        }
    }

    /** Empty when the sandbox is not active or may run as configured. */
    static List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        if (!environment.acceptsProfiles(Profiles.of(SandboxDefaultProfile.PROFILE))) {
            return problems;
        }
        if (environment.acceptsProfiles(Profiles.of("prod"))) {
            problems.add("the profiles 'sandbox' and 'prod' are both active: the sandbox never runs in production");
        }
        for (String property : BIND_PROPERTIES) {
            if (property.startsWith("management.") && !separateManagementPort(environment)) {
                continue;
            }
            if (property.equals("record-broker.mllp.host") && !environment.containsProperty(property)) {
                continue;
            }
            String address = environment.getProperty(property);
            if (!loopback(address)) {
                problems.add(property + " = \"" + (address == null ? "" : address) + "\""
                        + (address == null || address.isBlank() ? " (not set: every interface)" : "")
                        + ": the sandbox binds to loopback only (127.0.0.1, ::1 or localhost)");
            }
        }
        return problems;
    }

    private static boolean separateManagementPort(Environment environment) {
        String port = environment.getProperty("management.server.port");
        return port != null && !port.isBlank() && !port.equals(environment.getProperty("server.port"))
                && !port.equals("-1");
    }

    static boolean loopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public int getOrder() {
        // after the config files (and the profiles they name) are loaded; before ProdSettings, whose report is moot then
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
