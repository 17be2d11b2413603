package be.recordbroker.ops;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
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

    /** The image's AOT-cache training run only (docker/Dockerfile): stop once ready. */
    @Bean
    @ConditionalOnProperty(name = "record-broker.warm-up.exit-when-ready", havingValue = "true")
    ExitWhenReady exitWhenReady(WarmUp warmUp, WarmUpProperties properties, ConfigurableApplicationContext context) {
        return new ExitWhenReady(warmUp::isDone, properties.getMaxDuration(),
                () -> System.exit(SpringApplication.exit(context)));
    }
}
