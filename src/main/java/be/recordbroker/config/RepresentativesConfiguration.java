package be.recordbroker.config;

import java.time.Clock;
import java.time.ZoneId;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.access.Representatives;
import be.recordbroker.kmehr.BrokerParty;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.MetahubRepresentations;

/** Who may act for whom: the metahub's registrations (GetRepresentations) and the age rule (docs/domain.md, R8). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RepresentativesProperties.class)
public class RepresentativesConfiguration {

    @Bean
    Representatives representatives(RepresentativesProperties properties, AccessProperties access, BrokerParty self,
                                    HubClients clients, Clock clock) {
        return new Representatives(new MetahubRepresentations(clients,
                self.hcparty(), clock),
                properties.getParentMaxAge(), properties.getCacheTtl(), ZoneId.of(access.getZone()), clock);
    }
}
