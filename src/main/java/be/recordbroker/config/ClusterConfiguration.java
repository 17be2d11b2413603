package be.recordbroker.config;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.access.CachedAccessFacts;
import be.recordbroker.access.Representatives;
import be.recordbroker.network.InstanceId;
import be.recordbroker.search.FederatedSearch;
import be.recordbroker.search.PatientCaches;

/** What several instances of the broker share beyond Artemis and PostgreSQL (issue 14): forgetting a patient's facts. */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    /** This JVM's name among the instances: tells its own announcements from the others' on the shared topic. */
    @Bean
    InstanceId instanceId() {
        return new InstanceId(UUID.randomUUID().toString());
    }

    @Bean
    PatientCaches patientCaches(CachedAccessFacts facts, FederatedSearch search, Representatives representatives,
                                MeterRegistry meters) {
        return new PatientCaches(facts, search, representatives, meters);
    }
}
