package be.recordbroker.fhir;

import java.time.Clock;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.TypedFieldsJsonParser;

import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.admission.AdmissionFilter;
import be.recordbroker.admission.Admissions;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.SealedTokens;
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
@EnableConfigurationProperties(FhirProperties.class)
public class FhirFaceConfiguration {

    /** The resource types the face serves and answers with (their model is read before the first request). */
    static final List<String> SERVED_TYPES = List.of("DocumentReference", "AuditEvent", "Bundle", "OperationOutcome",
            "CapabilityStatement");

    /**
     * One R4 context for the process. Reading the model of a resource type takes a while cold (HAPI scans its
     * classes); the types the face serves are read on a thread of their own, started here, while the rest of the
     * application is made, so that the servlet's start (with the web server's) finds them read instead of reading them
     * on the main thread. The context is thread-safe: a request or the servlet's start that comes first reads a type
     * itself. Its JSON parsers encode through {@link TypedFieldsJsonParser} (Jackson's typed writes, not an
     * ObjectMapper per value: the same JSON for less CPU).
     */
    @Bean
    FhirContext fhirContext() {
        FhirContext fhir = typedJsonContext();
        // the face never puts a resource inside a reference (every reference is an identifier or a display): the
        // parser need not walk every resource it encodes looking for targets to contain
        fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        Thread scan = new Thread(() -> SERVED_TYPES.forEach(fhir::getResourceDefinition), "fhir-model-scan");
        scan.setDaemon(true);
        scan.start();
        return fhir;
    }

    /** An R4 context whose JSON parser is {@link TypedFieldsJsonParser}. */
    static FhirContext typedJsonContext() {
        IParserErrorHandler errors = new LenientErrorHandler(); // the context's default, as a field to hand on
        FhirContext fhir = new FhirContext(FhirVersionEnum.R4) {
            @Override
            public IParser newJsonParser() {
                return new TypedFieldsJsonParser(this, errors);
            }
        };
        fhir.setParserErrorHandler(errors);
        return fhir;
    }

    @Bean
    ServletRegistrationBean<FhirServer> fhirServer(FhirContext fhir, AuditedAccessGate gate, FederatedSearch search,
                                                  JdbcAuditTrail trail, DocumentIdCodec documentIds, Network network,
                                                  Admissions admissions, Clock clock, SealedTokens pageTokens,
                                                  FhirProperties properties) {
        PageLinks links = new PageLinks(pageTokens, clock, properties.getPageLinkTtl());
        FhirServer server = new FhirServer(fhir, List.of(
                new DocumentReferenceProvider(gate, search, new DocumentReferences(documentIds, network),
                        admissions.search(), clock, links),
                new AuditEventProvider(gate, trail, admissions.search(), clock, links)));
        server.registerInterceptor(links);
        ServletRegistrationBean<FhirServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** HAPI's answers sent whole with their length ({@link WholeAnswerFilter}); not ITI-68, which streams. */
    @Bean
    FilterRegistrationBean<WholeAnswerFilter> fhirWholeAnswers(ServletRegistrationBean<FhirServer> fhirServer) {
        FilterRegistrationBean<WholeAnswerFilter> registration =
                new FilterRegistrationBean<>(new WholeAnswerFilter(), fhirServer);
        registration.setOrder(org.springframework.core.Ordered.LOWEST_PRECEDENCE - 10); // after Spring Security's chain
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
