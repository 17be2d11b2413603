package be.recordbroker.sandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Makes {@code sandbox} the default profile, but only where the sandbox classes are on the class path
 * ({@code ./mvnw spring-boot:run}, the tests, the benchmarks): the main configuration no longer names it, so the
 * packaged jar without a profile starts with no sandbox at all. An explicit {@code spring.profiles.default} wins.
 * Runs before the config files are read, so {@code application-sandbox.yaml} is loaded for the default profile.
 */
public class SandboxDefaultProfile implements EnvironmentPostProcessor, Ordered {

    static final String PROFILE = "sandbox";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String explicit = environment.getProperty("spring.profiles.default");
        if (explicit == null || explicit.isBlank()) {
            environment.setDefaultProfiles(PROFILE);
        }
    }

    @Override
    public int getOrder() {
        // before ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10), which picks the profiles' files
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }
}
