package be.recordbroker.admission;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;

/**
 * Admission control (issue 13; docs/search.md "Admission control"): the search and retrieval lanes, their bulkhead
 * gauges ({@code resilience4j_bulkhead_available_concurrent_calls{name}}), and the REST face's filters, in front of
 * Spring Security's chain: a refusal costs no token check (under overload most answers are refusals). SOAP and FHIR
 * searches and audit-trail reads are admitted in their routes / providers, after authentication and input checks.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionProperties.class)
public class AdmissionConfiguration {

    @Bean
    Admissions admissions(AdmissionProperties properties, MeterRegistry meters) {
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        Admissions admissions = new Admissions(
                new Admission("search", properties.getSearch(), properties.getRetryAfter(), bulkheads, meters),
                new Admission("retrieve", properties.getRetrieve(), properties.getRetryAfter(), bulkheads, meters));
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        return admissions;
    }

    /**
     * Sends the REST face's held refusals (AdmissionFilter): one daemon thread, which only writes small answers. Not a
     * {@code ScheduledExecutorService} bean: Spring Boot would take that for the application's task scheduler.
     */
    @Bean
    HeldRefusals admissionHeldRefusals() {
        return new HeldRefusals();
    }

    /** The held refusals' scheduler, stopped with the context. */
    static final class HeldRefusals implements AutoCloseable {
        final java.util.concurrent.ScheduledThreadPoolExecutor scheduler =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, runnable -> {
                    Thread thread = new Thread(runnable, "admission-held-refusals");
                    thread.setDaemon(true);
                    return thread;
                });

        @Override
        public void close() {
            scheduler.shutdownNow();
        }
    }

    /** Before Spring Security's chain (order -100), after the request's observation (its trace id) is started. */
    static final int IN_FRONT_OF_SECURITY = SecurityProperties.DEFAULT_FILTER_ORDER - 5;

    /**
     * {@code GET /api/v1/patients/{ssin}/documents} and {@code .../audit}: a place in the search lane while the route
     * runs (on the request's own thread); the search route sees {@link AdmissionFilter#ADMITTED} and does not queue it
     * again. The audit view shares the searches' lane (docs/search.md "Admission control"): it is the same kind of work
     * (a gate decision, an audit row, a bounded database read), and one bound over both is what keeps a flood of either
     * from holding every database connection; a lane of its own would add its own places on top.
     */
    @Bean
    FilterRegistrationBean<AdmissionFilter> restSearchAdmission(Admissions admissions, ObjectMapper json,
            HeldRefusals admissionHeldRefusals) {
        return inFrontOfSecurity(admissions.search(), AdmissionFilter.bearerCallers()
                        .and(r -> "GET".equals(r.getMethod()))
                        .and(AdmissionFilter.path("/api/v1/patients/[^/]+/(documents|audit)/?")),
                "/api/v1/patients/*", json, admissionHeldRefusals);
    }

    /** {@code GET /api/v1/documents/*}: a place in the retrieve lane while the document streams. */
    @Bean
    FilterRegistrationBean<AdmissionFilter> restRetrieveAdmission(Admissions admissions, ObjectMapper json,
            HeldRefusals admissionHeldRefusals) {
        return inFrontOfSecurity(admissions.retrieve(), AdmissionFilter.bearerCallers(), "/api/v1/documents/*", json,
                admissionHeldRefusals);
    }

    /** A REST lane's filter on {@code urlPattern}, in front of Spring Security, refusing with problem+json. */
    private static FilterRegistrationBean<AdmissionFilter> inFrontOfSecurity(Admission lane,
            java.util.function.Predicate<jakarta.servlet.http.HttpServletRequest> takesAPlace, String urlPattern,
            ObjectMapper json, HeldRefusals held) {
        FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(new AdmissionFilter(lane,
                "rest", (request, response, overloaded) -> problem(request, response, json, overloaded), takesAPlace,
                held.scheduler));
        registration.addUrlPatterns(urlPattern);
        registration.setOrder(IN_FRONT_OF_SECURITY);
        return registration;
    }

    /** The REST refusal: problem+json, reason {@code OVERLOADED}, with the request id (as {@link Problems} writes). */
    private static void problem(jakarta.servlet.http.HttpServletRequest request,
                                jakarta.servlet.http.HttpServletResponse response, ObjectMapper json,
                                Admission.Overloaded overloaded) throws java.io.IOException {
        Problems.problem(response, json, 503, overloaded.reason(), overloaded.getMessage(),
                RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER)));
    }
}
