package be.recordbroker.security;

import java.io.IOException;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every header through Spring Security's firewall while the request is still in the security chain. The
 * firewall checks a header when it is read; a header only a face reads (e.g. {@code X-Break-The-Glass}, read by
 * Camel's platform-http binding inside the route) was refused there, where Camel answered the rejection with a 500.
 * Read here, a refused header is answered by the chain's rejection handler: 400 problem+json {@code INVALID_REQUEST}.
 */
public final class AllHeadersChecked extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            Enumeration<String> values = request.getHeaders(names.nextElement());
            while (values.hasMoreElements()) {
                values.nextElement();
            }
        }
        chain.doFilter(request, response);
    }
}
