package be.recordbroker.config;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

import org.apache.camel.CamelContext;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel's route spans (issue 16, docs/tracing-and-logs.md): camel-observation's tracer on Spring Boot's observation
 * registry and Micrometer tracer, so a route's span continues the request's trace (REST, SOAP), or starts the HL7
 * message's (MLLP) and continues it from the {@code traceparent} property on the ingest queue (the declaring
 * consumer). camel-observation-starter's own auto-configuration stands down when Spring Boot 3's actuator
 * observation configuration is present (it targets Boot 4), so the tracer is set up here, the way it would.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "camel.observation.enabled", havingValue = "true", matchIfMissing = true)
public class TracingConfiguration {

    @Bean
    CamelContextConfiguration camelRouteSpans(ObjectProvider<ObservationRegistry> observations,
                                              ObjectProvider<Tracer> tracer) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                MicrometerObservationTracer routeSpans = new MicrometerObservationTracer();
                routeSpans.setObservationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
                routeSpans.setTracer(tracer.getIfAvailable(() -> Tracer.NOOP));
                routeSpans.init(camel); // before the routes are made: its route policy and event notifier apply
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
