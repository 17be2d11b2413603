package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.ManagementStatisticsLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The ingest benchmark's "route metrics off" keeps no route statistics at all (route, context, and both routes'
 * group counters, the one no MBean shows included) and no {@code camel_*} meters; "on" brings both back as they were.
 */
class RouteMetricsSwitchTest {

    @Test
    void offKeepsNoRouteStatisticsAndNoMetersOnBringsBothBack() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getManagementStrategy().getManagementAgent().setStatisticsLevel(ManagementStatisticsLevel.RoutesOnly);
            camel.getManagementStrategy().addEventNotifier(new CamelRouteMeters(registry));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:first").routeId("first").group("listeners").log("first");
                    from("direct:second").routeId("second").group("listeners").log("second");
                }
            });
            camel.start();
            var management = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
            ProducerTemplate send = camel.createProducerTemplate();
            RouteMetricsSwitch routeMetrics = new RouteMetricsSwitch(camel);
            assertThat(routeMetrics.counters()).as("2 routes, the context, a group counter per route").isEqualTo(5);

            routeMetrics.set(false);
            send.sendBody("direct:first", "x");
            send.sendBody("direct:second", "x");
            assertThat(management.getManagedRoute("first").getExchangesTotal()).isZero();
            assertThat(management.getManagedRoute("second").getExchangesTotal()).isZero();
            assertThat(management.getManagedCamelContext().getExchangesTotal()).isZero();
            assertThat(management.getManagedRouteGroup("listeners").getExchangesTotal()).isZero();
            assertThat(registry.find("camel.exchanges.total").meters()).isEmpty();
            assertThat(registry.find("camel.route.policy").meters()).isEmpty();

            routeMetrics.set(true);
            send.sendBody("direct:first", "x");
            send.sendBody("direct:second", "x");
            send.sendBody("direct:second", "x");
            assertThat(management.getManagedRoute("second").getExchangesTotal()).isEqualTo(2);
            assertThat(management.getManagedCamelContext().getExchangesTotal()).isEqualTo(3);
            assertThat(registry.get("camel.exchanges.total").tag("routeId", "second").functionCounter().count())
                    .isEqualTo(2);
            assertThat(registry.find("camel.exchanges.total").meters()).hasSize(2);
        }
    }
}
