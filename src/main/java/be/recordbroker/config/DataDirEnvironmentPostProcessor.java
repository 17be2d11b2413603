package be.recordbroker.config;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code record-broker.data-dir} absolute (against the working directory). H2 refuses a database file path that
 * is implicitly relative ({@code data/db/...}, {@code target/it-data/...}; only {@code ./name} is accepted), so
 * {@code RECORD_BROKER_DATA_DIR=data} would otherwise leave the broker without a database.
 */
public class DataDirEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "record-broker.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dataDir = environment.getProperty(PROPERTY);
        if (dataDir == null || dataDir.isBlank()) {
            return;
        }
        String absolute = Path.of(dataDir.trim()).toAbsolutePath().normalize().toString();
        environment.getPropertySources().addFirst(new MapPropertySource("recordBrokerAbsoluteDataDir",
                Map.of(PROPERTY, absolute)));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the config files are loaded
    }
}
