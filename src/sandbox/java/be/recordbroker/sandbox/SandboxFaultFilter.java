package be.recordbroker.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies a sandbox hub's fault knobs to the calls it receives, in front of its SOAP servlet: a hub that is
 * {@code down} answers 503 at once (also to ?wsdl); otherwise it waits {@code latencyMs}, then fails a share {@code errorRate} of the
 * calls with a SOAP 1.1 server fault, as a failing .NET hub would.
 */
final class SandboxFaultFilter extends OncePerRequestFilter {

    private static final Pattern HUB_PATH = Pattern.compile("^/sandbox/hubs/([^/]+)/intrahub/.*|^/sandbox/hubs/([^/]+)/intrahub$"
            + "|^/sandbox/(metahub)(?:/.*)?$");

    private final SandboxFaults faults;

    SandboxFaultFilter(SandboxFaults faults) {
        this.faults = faults;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = HUB_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!m.matches()) {
            chain.doFilter(request, response);
            return;
        }
        String hub = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        SandboxFaults.Faults f = faults.of(hub);
        if (f.down()) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "sandbox hub " + hub + " is down");
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response); // latency and errors apply to SOAP calls, not to ?wsdl
            return;
        }
        if (f.latencyMs() > 0) {
            try {
                Thread.sleep(f.latencyMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (f.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < f.errorRate()) {
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            response.setContentType("text/xml;charset=UTF-8");
            response.getOutputStream().write(("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                    + "<soap:Body><soap:Fault><faultcode>soap:Server</faultcode>"
                    + "<faultstring>sandbox hub " + hub + ": injected error</faultstring>"
                    + "</soap:Fault></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }
}
