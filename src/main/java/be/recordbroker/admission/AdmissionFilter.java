package be.recordbroker.admission;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Admission control in front of a servlet face: the request holds a place of its {@link Admission} lane while the
 * servlet runs (a streamed document until its last byte); a refused one gets {@code 503}, {@code Retry-After} and a
 * body the face writes ({@link Refusal}: problem+json for REST, an OperationOutcome for FHIR). Register it after Spring
 * Security's chain (a {@code FilterRegistrationBean} with a later order), so an unauthenticated request never takes
 * a place.
 */
public class AdmissionFilter implements Filter {

    /** Writes the face's refusal body; the status and {@code Retry-After} are already set. */
    @FunctionalInterface
    public interface Refusal {
        void write(HttpServletRequest request, HttpServletResponse response, Admission.Overloaded overloaded)
                throws IOException;
    }

    private final Admission admission;
    private final String face;
    private final Refusal refusal;

    /** @param face the metric label: a fixed word ({@code rest}, {@code fhir}) */
    public AdmissionFilter(Admission admission, String face, Refusal refusal) {
        this.admission = admission;
        this.face = face;
        this.refusal = refusal;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Admission.Permit permit;
        try {
            permit = admission.enter(face);
        } catch (Admission.Overloaded overloaded) {
            HttpServletResponse http = (HttpServletResponse) response;
            http.setStatus(503);
            http.setHeader("Retry-After", Long.toString(overloaded.retryAfterSeconds()));
            refusal.write((HttpServletRequest) request, http, overloaded);
            return;
        }
        try (permit) {
            chain.doFilter(request, response);
        }
    }
}
