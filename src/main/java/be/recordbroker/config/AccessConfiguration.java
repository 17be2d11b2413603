package be.recordbroker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.access.AccessGate;
import be.recordbroker.access.AccessMatrix;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.access.BreakTheGlassPolicy;
import be.recordbroker.access.CachedAccessFacts;
import be.recordbroker.access.LinkPolicy;
import be.recordbroker.access.Representatives;
import be.recordbroker.audit.GroupCommitAuditor;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.Hub;
import be.recordbroker.kmehr.BrokerParty;
import be.recordbroker.kmehr.HubAccessFacts;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.network.Network;
import be.recordbroker.security.IdentityProperties;

/** Wires the access gate (facts from the hubs, cached; matrix; link and break-the-glass rules) and the audit trail. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AccessProperties.class, IdentityProperties.class, AuditProperties.class})
public class AccessConfiguration {

    /** The broker's own party, built once from {@code record-broker.access.application-id}. */
    @Bean
    BrokerParty brokerParty(AccessProperties properties) {
        return BrokerParty.of(properties.getApplicationId());
    }

    @Bean
    CachedAccessFacts accessFacts(AccessProperties properties, HubClients clients, Network network, Clock clock,
                                  BrokerParty self) {
        List<String> factHubs = properties.getFactHubs().isEmpty()
                ? network.hubs().all().stream().map(Hub::code).toList() : properties.getFactHubs();
        factHubs.forEach(network::requireHub);
        HubAccessFacts facts = new HubAccessFacts(clients, factHubs,
                self.hcparty(), clock);
        return new CachedAccessFacts(facts, properties.getFactsCacheTtl(), properties.getFactsCacheRefreshAfter(),
                properties.getFactsCacheSize(), Ticker.systemTicker(), SearchConfiguration.refreshPool("rb-facts-refresh-"));
    }

    @Bean
    AccessMatrix accessMatrix(AccessProperties properties) throws IOException {
        Path file = Path.of(properties.getMatrixFile());
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the access matrix " + file.toAbsolutePath() + " does not exist"
                    + " (record-broker.access.matrix-file)");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return AccessMatrix.parse(reader, file.toString());
        }
    }

    @Bean
    JdbcAuditTrail auditTrail(DataSource dataSource, AuditProperties audit, org.springframework.core.env.Environment env,
                              @Value("${record-broker.data-dir}") String dataDir) {
        return new JdbcAuditTrail(dataSource, AuditKeyConfiguration.keys(audit, env, Path.of(dataDir)));
    }

    /** Audit rows of concurrent requests share one commit (see GroupCommitAuditor). */
    @Bean(destroyMethod = "close")
    GroupCommitAuditor auditWriter(JdbcAuditTrail auditTrail, AuditProperties audit,
                                   org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        GroupCommitAuditor writer = new GroupCommitAuditor(auditTrail, 256, 10_000, java.time.Duration.ofSeconds(5),
                audit.getCommitDelay());
        meters.ifAvailable(registry -> {
            // throwables the writer survived, and rows written as denials after their callers gave up (audit, issue 12)
            io.micrometer.core.instrument.FunctionCounter.builder("rb.audit.writer.failures", writer,
                    GroupCommitAuditor::writerFailures).register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("rb.audit.rows.abandoned", writer,
                    GroupCommitAuditor::abandonedRows).register(registry);
        });
        return writer;
    }

    @Bean
    AuditedAccessGate accessGate(AccessProperties properties, CachedAccessFacts facts, AccessMatrix matrix,
                                 GroupCommitAuditor auditWriter, Representatives representatives,
                                 org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        Map<String, LinkPolicy.LinkType> types = new LinkedHashMap<>();
        properties.getLinkTypes().forEach((type, rule) -> {
            if (rule.getMaxDuration() == null) {
                throw new IllegalStateException("record-broker.access.link-types." + type + ".max-duration is missing");
            }
            types.put(type.toLowerCase(Locale.ROOT), new LinkPolicy.LinkType(rule.getMaxDuration(),
                    java.util.Set.copyOf(rule.getProfessions())));
        });
        AccessProperties.BreakTheGlass btg = properties.getBreakTheGlass();
        AccessGate gate = new AccessGate(facts, matrix, new LinkPolicy(types),
                new BreakTheGlassPolicy(java.util.Set.copyOf(btg.getProfessions()), btg.getMinLength(), btg.getMaxLength()),
                ZoneId.of(properties.getZone()), representatives);
        return new AuditedAccessGate(gate, auditWriter,
                new be.recordbroker.access.AnonymousRefusals(meters.getIfAvailable()),
                new be.recordbroker.access.AccessDecisionCounts(meters.getIfAvailable()));
    }
}
