package be.recordbroker.config;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import be.recordbroker.ingest.GuardedMllpComponent;
import be.recordbroker.ingest.PatientGroups;

/**
 * In profile {@code prod}, start-up refuses unless every production setting is given: the real network file, the
 * identity provider, the database runtime and owner roles, the Artemis credentials, the MLLP TLS material (unless
 * plaintext is asked for explicitly), the audit, document-id and patient group keys (the last not the development
 * one). Each missing one is named with its environment variable, all in one message (ProdSettingsFailureAnalyzer),
 * so an operator fixes them in one go instead of one start per setting, and no production broker runs on a
 * development default. Presence is checked here; each feature checks
 * its own values. Runs after the config files are read, before any bean is made.
 */
public class ProdSettings implements EnvironmentPostProcessor, Ordered {

    /** A required setting: its property and the environment variable config/application-prod.yaml reads it from. */
    record Setting(String property, String env) {
    }

    static final Setting NETWORK_FILE = new Setting("record-broker.network-file", "RECORD_BROKER_NETWORK_FILE");
    static final Setting DATABASE_USER = new Setting("spring.datasource.username", "DATABASE_USER");
    static final String MLLP_PLAINTEXT = "record-broker.mllp.plaintext";
    static final String MLLP_BIND_ADDRESS = "record-broker.mllp.bind-address";
    static final Setting GROUP_KEY = new Setting("record-broker.ingest.group-key", "RECORD_BROKER_INGEST_GROUP_KEY");

    static final List<Setting> ALWAYS = List.of(
            NETWORK_FILE,
            new Setting("record-broker.identity.jwks-url", "RECORD_BROKER_JWKS_URL"),
            new Setting("record-broker.identity.issuer", "RECORD_BROKER_TOKEN_ISSUER"),
            new Setting("record-broker.identity.audience", "RECORD_BROKER_TOKEN_AUDIENCE"),
            DATABASE_USER,
            new Setting("spring.datasource.password", "DATABASE_PASSWORD"),
            new Setting("spring.flyway.user", "DATABASE_OWNER_USER"),
            new Setting("spring.flyway.password", "DATABASE_OWNER_PASSWORD"),
            new Setting("spring.artemis.user", "ARTEMIS_USER"),
            new Setting("spring.artemis.password", "ARTEMIS_PASSWORD"),
            new Setting("record-broker.audit.key", "RECORD_BROKER_AUDIT_KEY"),
            new Setting("record-broker.document-id.key", "RECORD_BROKER_DOCUMENT_ID_KEY"),
            GROUP_KEY);

    /** Required unless {@code record-broker.mllp.plaintext=true}. */
    static final List<Setting> MLLP_TLS = List.of(
            new Setting("record-broker.mllp.tls.key-store", "RECORD_BROKER_MLLP_KEY_STORE"),
            new Setting("record-broker.mllp.tls.key-store-password", "RECORD_BROKER_MLLP_KEY_STORE_PASSWORD"),
            new Setting("record-broker.mllp.tls.trust-store", "RECORD_BROKER_MLLP_TRUST_STORE"),
            new Setting("record-broker.mllp.tls.trust-store-password", "RECORD_BROKER_MLLP_TRUST_STORE_PASSWORD"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new ProdSettingsMissingException(problems);
        }
    }

    /** Every problem of the prod settings, in a fixed order; empty when the prod profile is not active or all is set. */
    static List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        if (!environment.acceptsProfiles(Profiles.of("prod"))) {
            return problems;
        }
        Binder binder = Binder.get(environment);
        List<Setting> required = new ArrayList<>(ALWAYS);
        boolean plaintext = binder.bind(MLLP_PLAINTEXT, Boolean.class).orElse(false);
        if (!plaintext) {
            required.addAll(MLLP_TLS);
        }
        String bindAddress = binder.bind(MLLP_BIND_ADDRESS, String.class).orElse("0.0.0.0");
        if (plaintext && !GuardedMllpComponent.isLoopback(bindAddress)) {
            // plaintext MLLP takes MSH-4 at its word: only a TLS-terminating proxy on this host may reach it
            problems.add(MLLP_PLAINTEXT + "=true (RECORD_BROKER_MLLP_PLAINTEXT) needs " + MLLP_BIND_ADDRESS
                    + " (RECORD_BROKER_MLLP_BIND_ADDRESS) on loopback, e.g. 127.0.0.1, not \"" + bindAddress
                    + "\": a plaintext listener authenticates no hospital, so only a TLS-terminating proxy on the same"
                    + " host may reach it");
        }
        for (Setting setting : required) {
            String value = binder.bind(setting.property(), String.class).orElse("");
            if (value.isBlank()) {
                problems.add(setting.property() + " (" + setting.env() + ") is not set"
                        + (setting.property().startsWith("record-broker.mllp.tls.")
                                ? " (or record-broker.mllp.plaintext=true, RECORD_BROKER_MLLP_PLAINTEXT)" : ""));
            } else if (setting == GROUP_KEY && value.strip().equals(PatientGroups.DEVELOPMENT_KEY)) {
                problems.add(setting.property() + " (" + setting.env() + ") is the development key of config/"
                        + "application.yaml, which is public: give the cluster its own (openssl rand -base64 32)");
            } else if (setting == DATABASE_USER && value.strip().equalsIgnoreCase("postgres")) {
                problems.add(setting.property() + " (" + setting.env() + ") is \"postgres\": the broker runs as its own "
                        + "runtime role, not as the superuser");
            }
        }
        return problems;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the config files (and the profiles they name) are loaded
    }
}
