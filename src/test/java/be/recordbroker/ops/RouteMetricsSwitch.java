package be.recordbroker.ops;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.management.CompositePerformanceCounter;
import org.apache.camel.management.DefaultInstrumentationProcessor;
import org.apache.camel.management.PerformanceCounter;
import org.apache.camel.spi.InternalProcessor;

/**
 * The route metrics on and off at run time, for the ingest benchmark's A/B in one process (IngestBenchmark,
 * {@code bench.targets=route-metrics}). "The route metrics" are (1) the per-route statistics Camel's management keeps
 * ({@code jmx-management-statistics-level: RoutesOnly}): on every exchange of every route, a route, a route-group and
 * a context counter (exchanges, failures, inflight, processing times, timestamps); and (2) the {@code camel_*} meters
 * of {@link CamelRouteMeters}, which read those statistics when Prometheus scrapes.
 *
 * <p>Off: every one of those counters has its statistics disabled (Camel's own switch, {@code
 * ManagedPerformanceCounterMBean.setStatisticsEnabled}, which the ops console's JMX also offers) and the meters are
 * gone from the registry. What stays, because Camel decides it when it builds the routes: each route's instrumentation
 * advice, which per exchange now only checks the switches (a {@code StopWatch} and a callback wrapper are still
 * created). The counters are found through that advice rather than the MBeans: Camel gives the second route of a
 * route group (the per-site MLLP listener after the shared one) a group counter of its own that no MBean exposes.
 */
public final class RouteMetricsSwitch {

    private final CamelContext camel;
    private final CamelRouteMeters meters;
    private final List<PerformanceCounter> counters;

    public RouteMetricsSwitch(CamelContext camel) {
        this.camel = camel;
        this.meters = camel.getManagementStrategy().getEventNotifiers().stream()
                .filter(CamelRouteMeters.class::isInstance).map(CamelRouteMeters.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no route meters (record-broker.ops.route-meters=false?)"));
        Set<PerformanceCounter> found = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Route route : camel.getRoutes()) {
            if (!(route.getProcessor() instanceof InternalProcessor internal)
                    || internal.getAdvice(DefaultInstrumentationProcessor.class) == null) {
                throw new IllegalStateException("route " + route.getRouteId() + " keeps no statistics "
                        + "(camel.main.jmx-management-statistics-level)");
            }
            PerformanceCounter counter = (PerformanceCounter) read(DefaultInstrumentationProcessor.class, "counter",
                    internal.getAdvice(DefaultInstrumentationProcessor.class));
            if (counter instanceof CompositePerformanceCounter composite) {
                for (String part : List.of("counter1", "counter2", "counter3")) {
                    Object c = read(CompositePerformanceCounter.class, part, composite);
                    if (c != null) {
                        found.add((PerformanceCounter) c);
                    }
                }
            } else if (counter != null) {
                found.add(counter);
            }
        }
        this.counters = List.copyOf(found);
    }

    /** Route counters, route-group counters and the context's counter this switch turns on and off. */
    public int counters() {
        return counters.size();
    }

    public void set(boolean on) {
        counters.forEach(c -> c.setStatisticsEnabled(on));
        if (on) {
            // the routes that have meters in production: the started ones (and suspended: started once)
            for (Route route : new ArrayList<>(camel.getRoutes())) {
                var status = camel.getRouteController().getRouteStatus(route.getRouteId());
                if (status != null && (status.isStarted() || status.isSuspended())) {
                    meters.bind(route);
                }
            }
        } else {
            meters.unbindAll();
        }
    }

    private static Object read(Class<?> type, String field, Object from) {
        try {
            Field f = type.getDeclaredField(field);
            f.setAccessible(true);
            return f.get(from);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Camel " + type.getSimpleName() + " without its field " + field
                    + " (another Camel version?)", e);
        }
    }
}
