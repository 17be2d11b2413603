package be.recordbroker.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Tells requests to the management server (actuator, admin) from the others. With its own port
 * ({@code management.server.port}, 8081 by default) a request is the management server's when it arrived on that
 * port, whatever its path; on a shared port (not recommended), by path ({@code /actuator/**},
 * {@code /api/v1/admin/**}). The port is learnt when the management server starts (tests use a random one).
 */
public final class ManagementServer implements ApplicationListener<WebServerInitializedEvent>, RequestMatcher {

    private static final RequestMatcher PATHS = new OrRequestMatcher(
            AntPathRequestMatcher.antMatcher("/actuator/**"), AntPathRequestMatcher.antMatcher("/api/v1/admin/**"));

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        int managementPort = port;
        return managementPort > 0 ? request.getLocalPort() == managementPort : PATHS.matches(request);
    }

    /** The management server's own port, -1 when it shares the main one (or has not started). */
    public int port() {
        return port;
    }
}
