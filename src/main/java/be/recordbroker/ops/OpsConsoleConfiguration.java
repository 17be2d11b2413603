package be.recordbroker.ops;

import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ops console (docs/operations-console.md) is Camel's developer console, served read-only as the actuator
 * endpoint {@code camel} on the management port (role {@code ops}). Camel ships ~40 consoles, and several show what
 * ops must not see here: message bodies and headers (browse, receive, message-history, trace, debug, inflight,
 * variables), configuration and environment (properties, system-properties, java-security, bean, default-registry),
 * route sources, or can act (send, reload). So the registry keeps an allow-list: only consoles of routes, their
 * statistics and health, circuit breakers and the JVM stay.
 */
@Configuration(proxyBeanMethods = false)
class OpsConsoleConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OpsConsoleConfiguration.class);

    /** The console ids ops may read; every other one is removed from the registry. */
    static final Set<String> ALLOWED = Set.of("context", "route", "consumer", "top", "health", "circuit-breaker",
            "resilience4j", "micrometer", "jvm", "memory", "gc", "internal-tasks");

    @Bean
    CamelContextConfiguration opsConsoleAllowList() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                keepAllowedConsoles(camelContext);
            }
        };
    }

    static void keepAllowedConsoles(CamelContext camelContext) {
        DevConsoleRegistry registry = DevConsoleRegistry.get(camelContext);
        if (registry == null || !registry.isEnabled()) {
            return;
        }
        // load every console on the classpath now, so that none is found (and kept) later by its id
        registry.loadDevConsoles(true);
        List<DevConsole> removed = registry.stream().filter(c -> !ALLOWED.contains(c.getId())).toList();
        removed.forEach(registry::unregister);
        LOG.info("ops console: {} Camel consoles kept, {} removed (allow-list in OpsConsoleConfiguration)",
                registry.stream().count(), removed.size());
    }
}
