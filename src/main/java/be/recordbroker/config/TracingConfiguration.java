package be.recordbroker.config;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.tracing.decorators.DirectSpanDecorator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.routes.FederatedSearchRoutes;

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
                MicrometerObservationTracer routeSpans = new RouteSpansNotShownElsewhere();
                routeSpans.setObservationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
                routeSpans.setTracer(tracer.getIfAvailable(() -> Tracer.NOOP));
                routeSpans.addDecorator(new DirectRouteSpanOnly());
                routeSpans.init(camel); // before the routes are made: its route policy and event notifier apply
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    /**
     * A {@code direct:} endpoint is one of the broker's own routes, whose route span already names it: no second span
     * for the send to it. camel-tracing makes both (a client span for the send, a server span for the route) for every
     * internal hop: a search's REST route, the fan-out and each hub's route were ten spans where five say the same.
     * The route spans keep the trace's shape (each continues the span current on its exchange or thread). Registered
     * with camel-tracing's own extension point ({@code Tracer#addDecorator}: a decorator for the same component
     * that extends the standard one takes its place; camel-tracing keeps its decorators per JVM, not per context).
     */
    static final class DirectRouteSpanOnly extends DirectSpanDecorator {
        @Override
        public boolean newSpan() {
            return false;
        }
    }

    /**
     * No Camel span for a route whose work another span already shows:
     * <ul>
     * <li>a REST DSL route: Spring's HTTP server observation already is the request's span (the trace's root, with the
     * method, the route template and the status), and the REST route runs on its thread inside it. camel-tracing made
     * a second server span for the same request, and extracted the W3C context again from a copy of every HTTP header
     * and query parameter to start it: the costliest of a search's spans;</li>
     * <li>each hub's route in a federated search: its SOAP call is a client span of its own
     * (kmehr/ClientCallObservations.java), with the hub's name and timing, a child of the request's span (the
     * hub-calling thread carries the request's observation). camel-tracing's span for the route was a sibling of that
     * call, three of a search's spans.</li>
     * </ul>
     * Other routes keep theirs (the fan-out's, ingest's, the MLLP listener's). docs/tracing-and-logs.md and
     * docs/benchmarks.md have the figures.
     */
    static final class RouteSpansNotShownElsewhere extends MicrometerObservationTracer {
        @Override
        public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
            if (routeId != null && routeId.startsWith(FederatedSearchRoutes.HUB_ROUTE_ID_PREFIX)) {
                return null; // Camel adds no policy for a route its factory returns none for
            }
            if (route instanceof RouteDefinition definition && definition.getInput() != null
                    && definition.getInput().getEndpointUri() != null
                    && definition.getInput().getEndpointUri().startsWith("rest:")) {
                return null;
            }
            return super.createRoutePolicy(camel, routeId, route);
        }
    }
}
