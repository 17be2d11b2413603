package be.recordbroker.kmehr;

import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.network.Network;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KmehrConfiguration {

    @Bean
    HubClients hubClients(Network network, LocalServerAddress addresses) {
        return new HubClients(network, addresses);
    }
}
