package be.recordbroker.admission;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;

/**
 * Admission control (issue 13; docs/search.md "Admission control"): the search and retrieval lanes, their bulkhead
 * gauges ({@code resilience4j_bulkhead_available_concurrent_calls{name}}), and the filter in front of the REST
 * retrieval servlet. Searches are admitted in the routes (after input checks, before the gate writes an audit row).
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

    /** {@code GET /api/v1/documents/*}: a place in the retrieve lane while the document streams. */
    @Bean
    FilterRegistrationBean<AdmissionFilter> restRetrieveAdmission(Admissions admissions, ObjectMapper json) {
        FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(
                new AdmissionFilter(admissions.retrieve(), "rest",
                        (request, response, overloaded) -> problem(request, response, json, overloaded)));
        registration.addUrlPatterns("/api/v1/documents/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10); // after Spring Security's chain (order -100)
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
