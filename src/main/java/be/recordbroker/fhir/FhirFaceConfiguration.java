package be.recordbroker.fhir;

import java.time.Clock;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;

import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.admission.AdmissionFilter;
import be.recordbroker.admission.Admissions;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.network.Network;
import be.recordbroker.retrieve.RetrievalMetrics;
import be.recordbroker.search.FederatedSearch;
import be.recordbroker.web.DocumentStreamer;
import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;

/**
 * The FHIR R4 face: HAPI's server at {@code /fhir/*} and ITI-68 at {@code /fhir/documents/*} (the longer servlet
 * mapping wins), both behind the bearer-token chain of SecurityConfiguration.
 */
@Configuration(proxyBeanMethods = false)
public class FhirFaceConfiguration {

    /** One R4 context for the process: building it scans the model, which takes seconds. */
    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    @Bean
    ServletRegistrationBean<FhirServer> fhirServer(FhirContext fhir, AuditedAccessGate gate, FederatedSearch search,
                                                  JdbcAuditTrail trail, DocumentIdCodec documentIds, Network network,
                                                  Admissions admissions, Clock clock) {
        FhirServer server = new FhirServer(fhir, List.of(
                new DocumentReferenceProvider(gate, search, new DocumentReferences(documentIds, network),
                        admissions.search(), clock),
                new AuditEventProvider(gate, trail, clock)));
        ServletRegistrationBean<FhirServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    ServletRegistrationBean<FhirDocumentServlet> fhirDocumentServlet(ProducerTemplate routes,
            DocumentStreamer streamer, RetrievalMetrics metrics, FhirContext fhir, Clock clock) {
        ServletRegistrationBean<FhirDocumentServlet> registration = new ServletRegistrationBean<>(
                new FhirDocumentServlet(routes, streamer, metrics, fhir, clock), "/fhir/documents/*");
        registration.setName("fhirDocuments");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * ITI-68 holds a place of the retrieve lane while the document streams, as {@code GET /api/v1/documents/*} does
     * (AdmissionConfiguration); a refusal is an OperationOutcome {@code OVERLOADED}.
     */
    @Bean
    FilterRegistrationBean<AdmissionFilter> fhirRetrieveAdmission(Admissions admissions, FhirContext fhir) {
        FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(new AdmissionFilter(
                admissions.retrieve(), "fhir", (request, response, overloaded) -> FhirOutcomes.write(fhir, response,
                        503, overloaded.reason(), overloaded.getMessage(),
                        RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER)))));
        registration.addUrlPatterns("/fhir/documents/*");
        registration.setOrder(org.springframework.core.Ordered.LOWEST_PRECEDENCE - 10); // after Spring Security's chain
        return registration;
    }
}
