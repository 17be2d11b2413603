package be.recordbroker.ops;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.kmehr.HubClients;
import be.recordbroker.network.Network;
import be.recordbroker.search.FederatedSearch;

/** The warm-up behind readiness: the health indicator {@code warmUp}, in the readiness group (application.yaml). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarmUpProperties.class)
class WarmUpConfiguration {

    @Bean("warmUpHealthIndicator")
    WarmUp warmUp(HubClients clients, Network network, FederatedSearch search, WarmUpProperties properties,
                  ObjectProvider<JwtDecoder> bearerTokens) {
        return new WarmUp(clients, network, search, properties, bearerTokens.getIfAvailable());
    }
}
