package be.recordbroker.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import be.recordbroker.ingest.Hl7Listener;

/**
 * {@code hl7Listeners} in /actuator/health: every MLLP listener route (route group {@link Hl7Listener#ROUTE_GROUP}:
 * the shared one and the per-site ones from
 * routes/*.camel.yaml) is started and bound; DOWN otherwise, because then hospitals' feeds are refused.
 */
@Component("hl7Listeners")
class Hl7ListenerHealthIndicator extends AbstractHealthIndicator {

    private final CamelContext camel;

    Hl7ListenerHealthIndicator(CamelContext camel) {
        super("HL7 listener health check failed");
        this.camel = camel;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allStarted = true;
        int listeners = 0;
        for (Route route : camel.getRoutes()) {
            if (!Hl7Listener.ROUTE_GROUP.equals(route.getGroup())) {
                continue;
            }
            listeners++;
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            builder.withDetail(route.getRouteId(), route.getEndpoint().getEndpointBaseUri() + " " + status);
            allStarted &= status == ServiceStatus.Started;
        }
        if (listeners == 0) {
            builder.down().withDetail("error", "no MLLP listener route");
        } else if (allStarted) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
