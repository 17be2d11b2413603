package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.SimpleHttpCodeStatusMapper;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * The health status codes a load balancer reads, from the shipped configuration: any {@code http-mapping} entry
 * replaces Spring Boot's defaults, so a mapping that named only DEGRADED answered a warming-up broker's readiness
 * probe (OUT_OF_SERVICE) with 200, and traffic reached it cold.
 */
class HealthStatusMappingTest {

    @Test
    void outOfServiceAndDownAre503AndDegradedStays200() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new FileSystemResource(Path.of("config", "application.yaml")))
                .forEach(environment.getPropertySources()::addLast);
        Map<String, Integer> mappings = new Binder(ConfigurationPropertySources.get(environment))
                .bind("management.endpoint.health.status.http-mapping", Bindable.mapOf(String.class, Integer.class))
                .orElseThrow(() -> new AssertionError("config/application.yaml maps no health status"));

        SimpleHttpCodeStatusMapper mapper = new SimpleHttpCodeStatusMapper(mappings);

        assertThat(mapper.getStatusCode(Status.OUT_OF_SERVICE)).isEqualTo(503);
        assertThat(mapper.getStatusCode(Status.DOWN)).isEqualTo(503);
        assertThat(mapper.getStatusCode(new Status("DEGRADED"))).isEqualTo(200);
        assertThat(mapper.getStatusCode(Status.UP)).isEqualTo(200);
    }
}
