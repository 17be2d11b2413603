package be.recordbroker.network;

import java.util.List;

import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Turns the validated network file into the {@link Network} the rest of the broker uses. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NetworkProperties.class)
public class NetworkConfiguration {

    @Bean
    Network network(NetworkProperties properties, Environment environment,
                    @Value("${record-broker.nihii-validation:lenient}") String nihiiValidation) {
        try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
            new NetworkFileValidator(validation.getValidator(), environment).check(properties);
        }
        NihiiValidation mode = NihiiValidation.valueOf(nihiiValidation.trim().toUpperCase());
        List<HubEndpoint> hubs = properties.getHubs().stream()
                .map(h -> new HubEndpoint(new Hub(h.getCode(), h.getEhpId(), h.getSourceLabel(), h.getName()),
                        HttpEndpoint.of(h)))
                .toList();
        List<Hospital> hospitals = properties.getHospitals().stream()
                .map(h -> new Hospital(h.getName(), h.getFacilityId(), Nihii.parse(h.getNihii(), mode), h.getHub(),
                        new Hospital.DocumentSource(h.getSource().getKind(), HttpEndpoint.of(h.getSource())),
                        h.getTlsIdentity()))
                .toList();
        HubDirectory directory = HubDirectory.of(hubs.stream().map(HubEndpoint::hub).toList());
        return new Network(directory, hubs, HttpEndpoint.of(properties.getMetahub()), hospitals);
    }
}
