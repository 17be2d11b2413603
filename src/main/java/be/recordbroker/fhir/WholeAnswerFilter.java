package be.recordbroker.fhir;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * HAPI's server answers (searchset Bundles, AuditEvents, the CapabilityStatement, OperationOutcomes) sent whole, with
 * their Content-Length, in one write. HAPI's JSON writer flushes the response when it has encoded the resource, which
 * commits it as a chunked answer in several socket writes; the REST face sends its JSON whole. The answer is a page
 * (at most {@code _count} resources, capped by each provider), already held in memory as HAPI's resources, so holding
 * its bytes too costs little. Mapped to HAPI's servlet only: ITI-68 ({@link FhirDocumentServlet}) streams and is never
 * held.
 */
final class WholeAnswerFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper whole = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, whole);
        } finally {
            whole.copyBodyToResponse();
        }
    }
}
