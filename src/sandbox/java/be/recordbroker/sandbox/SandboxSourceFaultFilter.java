package be.recordbroker.sandbox;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.apache.catalina.connector.ClientAbortException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies a sandbox hospital's {@link SandboxSourceFaults} in front of its document sources: down (503), latency,
 * a share of HTTP 500 errors, or a connection dropped after some bytes of the body (the source dying mid-stream).
 */
final class SandboxSourceFaultFilter extends OncePerRequestFilter {

    private static final Pattern SOURCE_PATH = Pattern.compile("^/sandbox/hospitals/([^/]+)/(?:documents/.*|kmehr(?:/.*)?)$");

    private final SandboxSourceFaults faults;

    SandboxSourceFaultFilter(SandboxSourceFaults faults) {
        this.faults = faults;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = SOURCE_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!m.matches() || "GET".equals(request.getMethod()) && request.getQueryString() != null) {
            chain.doFilter(request, response); // ?wsdl stays reachable
            return;
        }
        SandboxSourceFaults.Faults f = faults.of(m.group(1));
        if (f.down()) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "sandbox source " + m.group(1) + " is down");
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
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "sandbox source " + m.group(1)
                    + ": injected error");
            return;
        }
        if (f.failAfterBytes() <= 0) {
            chain.doFilter(request, response);
            return;
        }
        Dying dying = new Dying(response, f.failAfterBytes());
        chain.doFilter(request, dying);
        if (dying.died) {
            // Tomcat drops the connection of a committed answer ended by a ClientAbortException, quietly. Thrown here,
            // outside Spring MVC: in a controller, Spring MVC takes it for a client that went away and ends the
            // answer normally, which would leave the broker waiting for the rest.
            throw new ClientAbortException("sandbox source " + m.group(1) + ": injected failure");
        }
    }

    /** A response whose body stops after {@code limit} bytes: the connection is dropped as a crashing server would. */
    private static final class Dying extends HttpServletResponseWrapper {
        private final long limit;
        private ServletOutputStream stream;
        volatile boolean died;

        Dying(HttpServletResponse response, long limit) {
            super(response);
            this.limit = limit;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream out = super.getOutputStream();
                stream = new ServletOutputStream() {
                    long written;

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        int allowed = (int) Math.min(len, limit - written);
                        if (allowed > 0) {
                            out.write(b, off, allowed);
                            written += allowed;
                        }
                        if (allowed < len) {
                            out.flush();
                            died = true;
                            throw new ClientAbortException("sandbox source: injected failure after " + written + " bytes");
                        }
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }
                };
            }
            return stream;
        }
    }
}
