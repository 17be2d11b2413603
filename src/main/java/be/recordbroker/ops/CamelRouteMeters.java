package be.recordbroker.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyNamingStrategy;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.RouteEvent;
import org.apache.camel.spi.CamelEvent.RouteRemovedEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route metrics for every Camel route, the MLLP listeners included (issue 16), under camel-micrometer's route policy
 * names and labels ({@code camel_exchanges_total}, {@code _failed_}, {@code _succeeded_}, {@code _failures_handled_},
 * {@code _external_redeliveries_}, {@code camel_route_policy_seconds}, {@code camel_exchanges_inflight};
 * {@code camelContext}, {@code kind}, {@code routeId}, {@code eventType}), read at scrape time from the per-route
 * statistics Camel's management already keeps for the ops console ({@code jmx-management-statistics-level:
 * RoutesOnly}). Hand-written rather than camel-micrometer's route policy: that policy keys each exchange's timer
 * sample by a {@code String.format}ted exchange property, twice per exchange and route, with no option to avoid it,
 * which alone cost ~4 % of the ingest benchmark's CPU per message (docs/operations.md). These meters add nothing per
 * exchange. They come and go with their route (route started, route removed).
 */
final class CamelRouteMeters extends SimpleEventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CamelRouteMeters.class);

    private final MeterRegistry registry;
    /** Per route id: its statistics (held here: Micrometer keeps function meters' objects weakly) and meters. */
    private final Map<String, Bound> bound = new ConcurrentHashMap<>();

    private record Bound(ManagedRouteMBean statistics, List<Meter> meters) {
    }

    CamelRouteMeters(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextInitEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof RouteStartedEvent || event instanceof RouteRemovedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Route route = ((RouteEvent) event).getRoute();
        if (event instanceof RouteStartedEvent) {
            bind(route);
        } else {
            unbind(route.getRouteId());
        }
    }

    /** Binds the route's meters unless they are bound. */
    void bind(Route route) {
        ManagedCamelContext management = route.getCamelContext().getCamelContextExtension()
                .getContextPlugin(ManagedCamelContext.class);
        if (management == null) {
            LOG.warn("no route metrics for {}: Camel's JMX management is off (camel.main.jmx-enabled)",
                    route.getRouteId());
            return;
        }
        bound.computeIfAbsent(route.getRouteId(), id -> bind(route, management.getManagedRoute(id)));
    }

    private void unbind(String routeId) {
        Bound removed = bound.remove(routeId);
        if (removed != null) {
            removed.meters().forEach(registry::remove);
        }
    }

    /**
     * Removes every route's meters; {@link #bind} brings them back. For the ingest benchmark's "route metrics off"
     * slices (RouteMetricsSwitch in the tests), which must compare the same process with and without them.
     */
    void unbindAll() {
        List.copyOf(bound.keySet()).forEach(this::unbind);
    }

    private Bound bind(Route route, ManagedRouteMBean statistics) {
        MicrometerRoutePolicyNamingStrategy names = MicrometerRoutePolicyNamingStrategy.DEFAULT;
        Tags tags = names.getExchangeStatusTags(route);
        List<Meter> meters = List.of(
                counter(names.getExchangesTotalName(route), "Total number of processed exchanges", tags, statistics,
                        ManagedRouteMBean::getExchangesTotal),
                counter(names.getExchangesSucceededName(route), "Number of successfully completed exchanges", tags,
                        statistics, ManagedRouteMBean::getExchangesCompleted),
                counter(names.getExchangesFailedName(route), "Number of failed exchanges", tags, statistics,
                        ManagedRouteMBean::getExchangesFailed),
                counter(names.getFailuresHandledName(route), "Number of failures handled", tags, statistics,
                        ManagedRouteMBean::getFailuresHandled),
                counter(names.getExternalRedeliveriesName(route),
                        "Number of external initiated redeliveries (such as from JMS broker)", tags, statistics,
                        ManagedRouteMBean::getExternalRedeliveries),
                FunctionTimer.builder(names.getName(route), statistics, ManagedRouteMBean::getExchangesCompleted,
                                ManagedRouteMBean::getTotalProcessingTime, TimeUnit.MILLISECONDS)
                        .tags(names.getTags(route)).description("Route performance metrics (completed exchanges)")
                        .register(registry),
                Gauge.builder(MicrometerConstants.DEFAULT_CAMEL_ROUTES_EXCHANGES_INFLIGHT, statistics,
                                ManagedRouteMBean::getExchangesInflight)
                        .tags(tags).description("Exchanges in the route now").register(registry));
        return new Bound(statistics, meters);
    }

    private FunctionCounter counter(String name, String description, Tags tags, ManagedRouteMBean statistics,
                                    ToLongFunction<ManagedRouteMBean> count) {
        return FunctionCounter.builder(name, statistics, s -> count.applyAsLong(s)).tags(tags)
                .description(description).register(registry);
    }
}
