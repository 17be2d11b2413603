package be.recordbroker.ops;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import org.apache.activemq.artemis.core.config.MetricsConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import be.recordbroker.access.CachedAccessFacts;
import be.recordbroker.audit.GroupCommitAuditor;
import be.recordbroker.search.FederatedSearch;
import be.recordbroker.security.BearerTokenDecoders;

/**
 * What ops watch besides the faces' own metrics (issue 16): the embedded Artemis broker's queues, the audit writer,
 * the caches' hit ratios, the key material's expiry and every Camel route's exchanges (CamelRouteMeters; camel-micrometer's
 * route policy is off, application.yaml {@code camel.metrics}), the hubs' circuits from Resilience4j (SearchConfiguration).
 * Every tag here is a name the broker or its operator chose (queue, cache, store, alias): bounded, no patient data.
 */
@Configuration(proxyBeanMethods = false)
class OpsMetricsConfiguration {

    /** Artemis keeps per-queue depth, consumers, deliveries and kills in the application's registry. */
    @Bean
    @ConditionalOnProperty(prefix = "spring.artemis.embedded", name = "enabled", havingValue = "true", matchIfMissing = true)
    ArtemisConfigurationCustomizer artemisQueueMeters(MeterRegistry meters) {
        return configuration -> configuration.setMetricsConfiguration(new MetricsConfiguration()
                .setPlugin(new ArtemisMeterPlugin(meters))
                // the JVM's own meters are Spring Boot's already
                .setJvmMemory(false).setJvmGc(false).setJvmThread(false));
    }

    /** Every route's exchanges, failures and times, from the statistics Camel's management keeps per route. */
    @Bean
    @ConditionalOnProperty(prefix = "record-broker.ops", name = "route-meters", havingValue = "true", matchIfMissing = true)
    CamelContextConfiguration camelRouteMeters(MeterRegistry meters) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // before the routes start: each route's meters are bound when it starts
                camel.getManagementStrategy().addEventNotifier(new CamelRouteMeters(meters));
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    /** Hit ratios: cache_gets_total{cache,result}, cache_size… for the facts, the metahub answers and the tokens. */
    @Bean
    MeterBinder cacheMeters(CachedAccessFacts facts, ObjectProvider<FederatedSearch> search,
                            ObjectProvider<JwtDecoder> tokens) {
        return registry -> {
            facts.caches().forEach((name, cache) -> CaffeineCacheMetrics.monitor(registry, cache, name));
            search.ifAvailable(s -> CaffeineCacheMetrics.monitor(registry, s.patientHubsCache(), "metahub"));
            tokens.ifAvailable(decoder -> {
                if (decoder instanceof BearerTokenDecoders.CachingJwtDecoder caching) {
                    CaffeineCacheMetrics.monitor(registry, caching.cache(), "tokens");
                }
            });
        };
    }

    /**
     * The audit writer: rows per committed batch ({@code rb_audit_batch_rows}), how long the oldest row of a batch
     * waited for its commit ({@code rb_audit_lag_seconds}), and rows waiting now ({@code rb_audit_queued_rows}).
     */
    @Bean
    MeterBinder auditWriterMeters(GroupCommitAuditor writer) {
        return registry -> {
            DistributionSummary rows = DistributionSummary.builder("rb.audit.batch.rows")
                    .description("audit rows per group commit").baseUnit("rows").register(registry);
            Timer lag = Timer.builder("rb.audit.lag")
                    .description("time the oldest row of a committed batch waited, queue to commit").register(registry);
            Gauge.builder("rb.audit.queued", writer, GroupCommitAuditor::queuedRows).baseUnit("rows")
                    .description("audit rows queued for the writer").register(registry);
            writer.observeBatches((count, oldestWaitNanos) -> {
                rows.record(count);
                lag.record(oldestWaitNanos, TimeUnit.NANOSECONDS);
            });
        };
    }

    /** Expiry of the MLLP listener's and the HTTPS/SOAP face's certificates (configured stores only). */
    @Bean
    MeterBinder certificateExpiryMeters(Environment env, Clock clock) {
        boolean mllpTls = !env.getProperty("record-broker.mllp.plaintext", Boolean.class, false);
        boolean serverTls = env.getProperty("server.ssl.enabled", Boolean.class, true)
                && env.getProperty("server.ssl.key-store") != null;
        List<CertificateExpiryMeters.Store> stores = new java.util.ArrayList<>();
        if (mllpTls) {
            stores.add(new CertificateExpiryMeters.Store("mllp-key", env.getProperty("record-broker.mllp.tls.key-store"),
                    env.getProperty("record-broker.mllp.tls.key-store-password"), "PKCS12"));
            stores.add(new CertificateExpiryMeters.Store("mllp-trust", env.getProperty("record-broker.mllp.tls.trust-store"),
                    env.getProperty("record-broker.mllp.tls.trust-store-password"), "PKCS12"));
        }
        if (serverTls) {
            stores.add(new CertificateExpiryMeters.Store("https-key", env.getProperty("server.ssl.key-store"),
                    env.getProperty("server.ssl.key-store-password"), env.getProperty("server.ssl.key-store-type")));
            stores.add(new CertificateExpiryMeters.Store("https-trust", env.getProperty("server.ssl.trust-store"),
                    env.getProperty("server.ssl.trust-store-password"), env.getProperty("server.ssl.trust-store-type")));
        }
        return new CertificateExpiryMeters(stores, clock);
    }
}
