package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Every route gets camel-micrometer's route meters, counted by outcome from Camel's route statistics, and loses them
 * when it is removed.
 */
class CamelRouteMetersTest {

    @Test
    void countsEachRoutesExchangesByOutcomeAndRemovesTheMetersWithTheRoute() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getManagementStrategy().addEventNotifier(new CamelRouteMeters(registry));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:strict").routeId("strict")
                            .filter(body().isEqualTo("bad")).throwException(new IllegalStateException("bad")).end();
                    from("direct:forgiving").routeId("forgiving")
                            .onException(IllegalStateException.class).handled(true).end()
                            .throwException(new IllegalStateException("handled"));
                }
            });
            camel.start();
            ProducerTemplate send = camel.createProducerTemplate();
            send.sendBody("direct:strict", "good");
            send.sendBody("direct:strict", "good");
            assertThatThrownBy(() -> send.sendBody("direct:strict", "bad")).isInstanceOf(CamelExecutionException.class);
            send.sendBody("direct:forgiving", "any");

            assertThat(count(registry, "camel.exchanges.total", "strict")).isEqualTo(3);
            assertThat(count(registry, "camel.exchanges.succeeded", "strict")).isEqualTo(2);
            assertThat(count(registry, "camel.exchanges.failed", "strict")).isEqualTo(1);
            assertThat(registry.get("camel.route.policy").tag("routeId", "strict").functionTimer().count()).isEqualTo(2);
            assertThat(registry.get("camel.exchanges.inflight").tag("routeId", "strict").gauge().value()).isZero();
            assertThat(count(registry, "camel.exchanges.failures.handled", "forgiving")).isEqualTo(1);
            assertThat(count(registry, "camel.exchanges.failed", "forgiving")).isZero();

            camel.getRouteController().stopRoute("strict");
            camel.removeRoute("strict");
            assertThat(registry.find("camel.exchanges.total").tag("routeId", "strict").meters()).isEmpty();
            assertThat(registry.find("camel.exchanges.total").tag("routeId", "forgiving").meters()).hasSize(1);
        }
    }

    private static double count(MeterRegistry registry, String name, String routeId) {
        return registry.get(name).tags("routeId", routeId, "kind", "CamelRoute").functionCounter().count();
    }
}
