package be.recordbroker.network;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyNameException;
import org.springframework.core.env.Environment;

/**
 * Checks the bound network file and reports every mistake with its property, its value and where it was written
 * (file and line), e.g. {@code record-broker.network.hubs[0].ehp-id = "19900007" (file [config/network.yaml] - 8:17):
 * must be the hub's 10-digit EHP number}. Spring's own binder names the property but not the line for list entries.
 */
final class NetworkFileValidator {

    static final String PREFIX = "record-broker.network.";

    private final Validator validator;
    private final Environment environment;

    NetworkFileValidator(Validator validator, Environment environment) {
        this.validator = validator;
        this.environment = environment;
    }

    /** @throws InvalidNetworkFileException listing every problem, when there is at least one */
    void check(NetworkProperties properties) {
        List<String> problems = new ArrayList<>();
        validator.validate(properties).stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(this::describe)
                .forEach(problems::add);
        if (problems.isEmpty()) {
            properties.crossCheck().forEach(p -> problems.add(describe(p.path(), p.message())));
            boolean tls = !environment.getProperty("record-broker.mllp.plaintext", Boolean.class, false);
            properties.tlsIdentityCheck(tls).forEach(p -> problems.add(describe(p.path(), p.message())));
        }
        if (!problems.isEmpty()) {
            throw new InvalidNetworkFileException(problems);
        }
    }

    private String describe(ConstraintViolation<NetworkProperties> violation) {
        return describe(violation.getPropertyPath().toString(), violation.getMessage());
    }

    private String describe(String javaPath, String message) {
        String name = PREFIX + dashed(javaPath);
        ConfigurationProperty property = find(name);
        if (property == null) {
            return name + ": " + message + " (not set)";
        }
        String origin = property.getOrigin() == null ? "" : " (" + property.getOrigin() + ")";
        return name + " = \"" + property.getValue() + "\"" + origin + ": " + message;
    }

    private ConfigurationProperty find(String name) {
        try {
            ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                ConfigurationProperty property = source.getConfigurationProperty(key);
                if (property != null) {
                    return property;
                }
            }
        } catch (InvalidConfigurationPropertyNameException e) {
            // fall through: report without a location
        }
        return null;
    }

    /** hubs[0].ehpId -> hubs[0].ehp-id */
    static String dashed(String javaPath) {
        return javaPath.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
