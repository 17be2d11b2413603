package be.recordbroker.config;

import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.HubTransactionLists;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.network.Network;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KmehrConfiguration {

    @Bean
    HubClients hubClients(Network network, LocalServerAddress addresses,
                          SoapSchemaValidationProperties validation,
                          org.springframework.beans.factory.ObjectProvider<io.micrometer.observation.ObservationRegistry>
                                  observations) {
        return new HubClients(network, addresses, validation.getClients(),
                observations.getIfAvailable(() -> io.micrometer.observation.ObservationRegistry.NOOP));
    }

    @Bean
    HubTransactionLists hubTransactionLists(HubClients clients, Network network,
                                            @Value("${record-broker.nihii-validation:lenient}") String nihiiValidation,
                                            @Value("${record-broker.access.zone:Europe/Brussels}") String zone) {
        return new HubTransactionLists(clients, network,
                NihiiValidation.valueOf(nihiiValidation.toUpperCase(java.util.Locale.ROOT)), java.time.ZoneId.of(zone));
    }
}
