package be.recordbroker.ops;

import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.impl.console.DefaultDevConsoleRegistry;
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
 * route sources, or can act (send, reload). So the registry holds an allow-list: only consoles of routes, their
 * statistics and health, circuit breakers and the JVM are ever loaded.
 */
@Configuration(proxyBeanMethods = false)
class OpsConsoleConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OpsConsoleConfiguration.class);

    /** The console ids ops may read; no other console is ever loaded. */
    static final Set<String> ALLOWED = Set.of("context", "route", "consumer", "top", "health", "circuit-breaker",
            "resilience4j", "micrometer", "jvm", "memory", "gc", "internal-tasks");

    @Bean
    CamelContextConfiguration opsConsoleAllowList() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                // before the context's own console scans (it runs two when consoles are enabled): they go to this
                // registry, which loads the allowed consoles by id instead of scanning the class path
                camelContext.getCamelContextExtension().addContextPlugin(DevConsoleRegistry.class,
                        new AllowListRegistry(camelContext));
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                DevConsoleRegistry registry = DevConsoleRegistry.get(camelContext);
                if (registry != null && registry.isEnabled()) {
                    LOG.info("ops console: {} Camel consoles (allow-list in OpsConsoleConfiguration)",
                            registry.stream().count());
                }
            }
        };
    }

    /**
     * Camel's registry, loading only the allow-listed consoles. Camel's own loading scans the class path for every
     * console; in the packaged jar that scan unpacks every nested jar, tens of seconds of a start on 2 cores (seen
     * by JavaJarJournalIT). Loading by id is a lookup of one service file each, and a console that is not allowed
     * is never registered, whoever asks for it.
     */
    static final class AllowListRegistry extends DefaultDevConsoleRegistry {

        AllowListRegistry(CamelContext camelContext) {
            super(camelContext);
        }

        @Override
        public void loadDevConsoles() {
            loadDevConsoles(false);
        }

        @Override
        public void loadDevConsoles(boolean force) {
            ALLOWED.forEach(this::resolveById);
        }

        @Override
        public boolean register(DevConsole console) {
            return ALLOWED.contains(console.getId()) && super.register(console);
        }
    }
}
