package be.recordbroker.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.network.Network;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code /actuator/health} gets a "hubs" component with one entry per configured hub, plus the metahub. */
@Configuration(proxyBeanMethods = false)
class HubHealthConfiguration {

    @Bean
    HealthContributor hubs(Network network, LocalServerAddress addresses,
                           @Value("${record-broker.health.cache:5s}") Duration cache,
                           io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry hubCircuitBreakers) {
        Map<String, HealthContributor> byHub = new LinkedHashMap<>();
        for (HubEndpoint hub : network.hubEndpoints()) {
            var breaker = hubCircuitBreakers.circuitBreaker(hub.hub().code());
            byHub.put(hub.hub().code(), new EndpointHealthIndicator(hub.hub().name(), hub.intraHub(), addresses, cache,
                    () -> breaker.getState().name()));
        }
        return CompositeHealthContributor.fromMap(byHub);
    }

    @Bean
    HealthContributor metahub(Network network, LocalServerAddress addresses,
                              @Value("${record-broker.health.cache:5s}") Duration cache) {
        return new EndpointHealthIndicator("eHealth metahub", network.metahub(), addresses, cache);
    }
}
