package be.recordbroker.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.springframework.core.io.Resource;

/** Reads the seed YAML (kebab-case keys) into {@link SandboxSeed}; unknown keys are an error so typos surface. */
final class SandboxSeedLoader {

    private SandboxSeedLoader() {
    }

    static SandboxSeed load(Resource resource) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // keep the offsets written in the seed (+01:00, +02:00) instead of normalising to UTC
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        try (InputStream in = resource.getInputStream()) {
            return yaml.readValue(in, SandboxSeed.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox seed " + resource.getDescription() + ": " + e.getMessage(), e);
        }
    }
}
