package be.recordbroker.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import be.recordbroker.network.InstanceId;
import be.recordbroker.domain.Ssin;
import be.recordbroker.search.PatientCaches;

/**
 * A patient's cached facts forgotten on every instance at once (issue 14): the instance that learns of a change (an
 * ops call after a hub's revocation notice, a merge it applied) forgets here, then announces the patient on an
 * Artemis topic; every other instance forgets on hearing it. Without this an instance would go on answering from an
 * entry up to its TTL old ({@code record-broker.access.facts-cache-ttl}).
 *
 * <p>The topic is not durable and its messages live a minute: an instance that was away has started again with empty
 * caches, or was reconnecting to the backup node, when at most the TTL bounds what it missed (docs/scale-out.md).
 */
@Component
public class FactsInvalidationRoutes extends RouteBuilder {

    /** Send the patient's SSIN as the body: forgotten here, then announced. */
    public static final String FORGET = PatientCaches.FORGET_EVERYWHERE;
    static final String ANNOUNCE_ROUTE = "facts-forget-announce";
    static final String LISTEN_ROUTE = "facts-forget-listen";
    /** The header naming the announcing instance. */
    static final String ORIGIN = "rbOrigin";

    private final PatientCaches caches;
    private final String instance;

    public FactsInvalidationRoutes(PatientCaches caches, InstanceId instance) {
        this.caches = caches;
        this.instance = instance.value();
    }

    @Override
    public void configure() {
        from(FORGET).routeId(ANNOUNCE_ROUTE)
                .bean(caches, "forget(${body}, false)")
                .setHeader(ORIGIN, constant(instance))
                .to("jms:topic:{{record-broker.cluster.facts-topic}}?deliveryPersistent=false"
                        + "&explicitQosEnabled=true&timeToLive=60000");

        from("jms:topic:{{record-broker.cluster.facts-topic}}").routeId(LISTEN_ROUTE)
                .filter(header(ORIGIN).isNotEqualTo(instance))
                .choice()
                    .when(method(Ssin.class, "isValid(${body})"))
                        .bean(caches, "forget(${body}, true)")
                    .otherwise()
                        // never the body in a log line: it may be a patient's number with a typo
                        .log(LoggingLevel.WARN, "ignored an announcement of forgotten facts that names no valid SSIN")
                .end();
    }
}
