package be.recordbroker.config;

import java.time.Clock;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.kmehr.BrokerParty;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.HubTransactionLists;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.network.Network;
import be.recordbroker.rest.DocumentRetrieveServlet;
import be.recordbroker.web.DocumentStreamer;
import be.recordbroker.retrieve.DocumentLocator;
import be.recordbroker.retrieve.DocumentSources;
import be.recordbroker.retrieve.KmehrDocumentSource;
import be.recordbroker.retrieve.RestDocumentSource;
import be.recordbroker.retrieve.RetrievalGate;
import be.recordbroker.retrieve.RetrievalMetrics;
import be.recordbroker.soap.SoapGetTransaction;

/** Wires the retrieval's stages, its source adapters and its faces' helpers (docs/retrieval.md). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetrieveProperties.class)
public class RetrieveConfiguration {

    @Bean
    DocumentLocator documentLocator(Network network, HubTransactionLists lists, DocumentIdCodec documentIds) {
        return new DocumentLocator(network, lists, documentIds);
    }

    @Bean
    RetrievalGate retrievalGate(AuditedAccessGate gate) {
        return new RetrievalGate(gate);
    }

    @Bean
    DocumentSources documentSources(LocalServerAddress addresses, HubClients clients, Clock clock,
                                    ObjectProvider<ObservationRegistry> observations) {
        return new DocumentSources(new RestDocumentSource(addresses,
                observations.getIfAvailable(() -> ObservationRegistry.NOOP)), new KmehrDocumentSource(clients, clock));
    }

    @Bean
    RetrievalMetrics retrievalMetrics(MeterRegistry registry) {
        return new RetrievalMetrics(registry);
    }

    @Bean
    DocumentStreamer documentStreamer(RetrieveProperties properties, RetrievalMetrics metrics) {
        return new DocumentStreamer((int) properties.getBufferSize().toBytes(), metrics);
    }

    /** The REST face, {@code GET /api/v1/documents/{id}} (a servlet of its own: see its javadoc for why). */
    @Bean
    ServletRegistrationBean<DocumentRetrieveServlet> documentRetrieveServlet(ProducerTemplate routes,
            DocumentStreamer streamer, RetrievalMetrics metrics, Clock clock, ObjectMapper json) {
        ServletRegistrationBean<DocumentRetrieveServlet> registration = new ServletRegistrationBean<>(
                new DocumentRetrieveServlet(routes, streamer, metrics, clock, json), "/api/v1/documents/*");
        registration.setName("documentRetrieve");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    SoapGetTransaction soapGetTransaction(Network network, BrokerParty self, RetrieveProperties properties,
                                          Clock clock, DocumentIdCodec documentIds,
                                          @Value("${record-broker.nihii-validation:lenient}") String nihiiValidation) {
        return new SoapGetTransaction(network, NihiiValidation.valueOf(nihiiValidation.toUpperCase(Locale.ROOT)),
                self.hcparty(),
                properties.getMaxInlineSize().toBytes(), clock, documentIds);
    }
}
