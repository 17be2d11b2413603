package be.recordbroker.sandbox;

import java.time.Clock;

import be.recordbroker.network.Network;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The sandbox Belgian network (profile "sandbox"): the seed, the fault knobs, demo tokens and the hospitals' MLLP
 * senders. The hubs' and metahub's SOAP services are published by {@link SandboxSoapConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
@EnableConfigurationProperties(SandboxProperties.class)
class SandboxConfiguration {

    @Bean
    SandboxNetwork sandboxNetwork(SandboxProperties properties, Network network) {
        if (properties.getSeed() == null || !properties.getSeed().exists()) {
            throw new IllegalStateException("record-broker.sandbox.seed: seed file not found: " + properties.getSeed());
        }
        SandboxNetwork sandbox = new SandboxNetwork(SandboxSeedLoader.load(properties.getSeed()), network);
        if (properties.getDeclarationLog() != null) {
            sandbox.world().logDeclarationsTo(properties.getDeclarationLog());
        }
        return sandbox;
    }

    @Bean
    SandboxFaults sandboxFaults() {
        return new SandboxFaults();
    }

    @Bean
    FilterRegistrationBean<SandboxFaultFilter> sandboxFaultFilter(SandboxFaults faults) {
        FilterRegistrationBean<SandboxFaultFilter> registration = new FilterRegistrationBean<>(new SandboxFaultFilter(faults));
        registration.addUrlPatterns("/sandbox/hubs/*", "/sandbox/metahub", "/sandbox/metahub/*");
        registration.setName("sandboxFaultFilter");
        return registration;
    }

    @Bean
    SandboxTokens sandboxTokens(SandboxProperties properties, Clock clock,
                                be.recordbroker.security.IdentityProperties identity) {
        return new SandboxTokens(properties.getToken().getIssuer(), properties.getToken().getTtl(), clock,
                identity.getAudience());
    }

    @Bean
    SandboxFeedSender sandboxFeedSender(SandboxProperties properties, Clock clock) {
        return new SandboxFeedSender(properties.getMllpHost(), properties.getMllpPort(), clock);
    }
}
