package be.recordbroker.ingest;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

import be.recordbroker.hl7.IngestRules;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.HubDeclarer;
import be.recordbroker.network.Network;

/** The HL7 ingest flow's parts: rules, ledger, listener and applier steps, dead-letter admin. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {

    @Bean
    IngestRules ingestRules(IngestProperties properties) {
        return new IngestRules(new IngestRules.Config(properties.getVersions(), properties.getMessageTypes(),
                properties.getProcessingIds(), properties.getSsinAssigningAuthority()));
    }

    @Bean
    IngestLedger ingestLedger(JdbcTemplate jdbc, Clock clock, Network network) {
        return new IngestLedger(jdbc, clock, network);
    }

    @Bean
    HubDeclarer hubDeclarer(HubClients clients, Network network, Clock clock) {
        return new HubDeclarer(clients, network, clock);
    }

    @Bean
    DocumentOwnership documentOwnership(IngestLedger ledger) {
        return new DocumentOwnership(ledger);
    }

    /** The patients' JMS groups under {@code record-broker.ingest.group-key} (cluster-wide; required in prod). */
    @Bean
    PatientGroups patientGroups(IngestProperties properties) {
        return new PatientGroups(properties.getGroupKey());
    }

    @Bean
    Hl7Listener hl7Listener(IngestRules rules, Network network, MeterRegistry meters, Clock clock,
                            IngestProperties properties, MllpTrust trust, DocumentOwnership ownership,
                            PatientGroups patientGroups) {
        return new Hl7Listener(rules, network, meters, clock, properties, trust, ownership, patientGroups);
    }

    @Bean
    IngestQueueSender ingestQueueSender(ConnectionFactory connectionFactory) {
        return new IngestQueueSender(connectionFactory);
    }

    @Bean
    Hl7Applier hl7Applier(Network network, IngestLedger ledger, HubDeclarer declarer, IngestProperties properties,
                          MeterRegistry meters, Clock clock, IngestRules rules, DocumentOwnership ownership,
                          MllpTrust trust, ObjectMapper json) {
        return new Hl7Applier(network, ledger, declarer, properties, meters, clock, rules, ownership, trust, json);
    }

    @Bean
    HubBackoff hubBackoff(IngestProperties properties, Clock clock, MeterRegistry meters) {
        return new HubBackoff(properties.getRedelivery(), clock, meters);
    }

    @Bean
    DeadLetters deadLetters(ConnectionFactory connectionFactory, MeterRegistry meters) {
        DeadLetters deadLetters = new DeadLetters(new JmsTemplate(connectionFactory));
        Gauge.builder("rb.hl7.dead.letters", deadLetters, DeadLetters::depth)
                .description("messages in the ingest dead-letter queue").register(meters);
        return deadLetters;
    }
}
