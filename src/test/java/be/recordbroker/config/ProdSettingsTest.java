package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import be.recordbroker.RecordBrokerApplication;

/** The prod profile names every missing production setting at start-up, all in one message. */
@ExtendWith(OutputCaptureExtension.class)
class ProdSettingsTest {

    private static List<ProdSettings.Setting> all() {
        List<ProdSettings.Setting> all = new ArrayList<>(ProdSettings.ALWAYS);
        all.addAll(ProdSettings.MLLP_TLS);
        return all;
    }

    private static MockEnvironment prodWithEverything() {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles("prod");
        all().forEach(s -> environment.setProperty(s.property(), "set"));
        environment.setProperty("spring.datasource.username", "record_broker_app");
        return environment;
    }

    @Test
    void everythingSetIsAccepted() {
        assertThat(ProdSettings.problems(prodWithEverything())).isEmpty();
    }

    @Test
    void outsideProdNothingIsRequired() {
        assertThat(ProdSettings.problems(new MockEnvironment())).isEmpty();
    }

    @Test
    void eachMissingSettingIsNamedWithItsEnvironmentVariable() {
        for (ProdSettings.Setting setting : all()) {
            MockEnvironment environment = prodWithEverything();
            environment.setProperty(setting.property(), "");
            assertThat(ProdSettings.problems(environment)).as(setting.property()).singleElement().asString()
                    .startsWith(setting.property() + " (" + setting.env() + ") is not set");
        }
    }

    @Test
    void nothingSetNamesAllOfThemAtOnce() {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles("prod");
        List<String> problems = ProdSettings.problems(environment);
        assertThat(problems).hasSize(all().size());
        for (ProdSettings.Setting setting : all()) {
            assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(setting.property() + " (" + setting.env()));
        }
    }

    @Test
    void theDatabaseSuperuserIsRefused() {
        MockEnvironment environment = prodWithEverything().withProperty("spring.datasource.username", "postgres");
        assertThat(ProdSettings.problems(environment)).singleElement().asString()
                .contains("spring.datasource.username (DATABASE_USER) is \"postgres\"");
    }

    /** The patient group key of config/application.yaml is public: prod refuses it like a missing one. */
    @Test
    void theDevelopmentGroupKeyIsRefused() {
        MockEnvironment environment = prodWithEverything().withProperty("record-broker.ingest.group-key",
                be.recordbroker.ingest.PatientGroups.DEVELOPMENT_KEY);
        assertThat(ProdSettings.problems(environment)).singleElement().asString()
                .startsWith("record-broker.ingest.group-key (RECORD_BROKER_INGEST_GROUP_KEY) is the development key");
    }

    @Test
    void plaintextMllpNeedsNoTlsMaterial() {
        MockEnvironment environment = prodWithEverything().withProperty("record-broker.mllp.plaintext", "true")
                .withProperty("record-broker.mllp.bind-address", "127.0.0.1");
        ProdSettings.MLLP_TLS.forEach(s -> environment.setProperty(s.property(), ""));
        assertThat(ProdSettings.problems(environment)).isEmpty();
        environment.setProperty("record-broker.mllp.plaintext", "false");
        assertThat(ProdSettings.problems(environment)).hasSize(4);
    }

    /** Plaintext MLLP takes MSH-4 at its word: in prod only a proxy on the same host may reach it. */
    @Test
    void plaintextMllpBindsLoopbackOnly() {
        MockEnvironment environment = prodWithEverything().withProperty("record-broker.mllp.plaintext", "true");
        assertThat(ProdSettings.problems(environment)).singleElement().asString()
                .startsWith("record-broker.mllp.plaintext=true (RECORD_BROKER_MLLP_PLAINTEXT) needs"
                        + " record-broker.mllp.bind-address (RECORD_BROKER_MLLP_BIND_ADDRESS) on loopback")
                .contains("not \"0.0.0.0\"");
        for (String refused : new String[] {"10.1.2.3", "::", "::1", "broker.example", "127.0.0.1.example", "127.0.0.256",
                "1.2.3.4.5", "cafe"}) {
            environment.setProperty("record-broker.mllp.bind-address", refused);
            assertThat(ProdSettings.problems(environment)).as(refused).hasSize(1);
        }
        for (String loopback : new String[] {"127.0.0.1", "127.1.2.3", "localhost"}) {
            environment.setProperty("record-broker.mllp.bind-address", loopback);
            assertThat(ProdSettings.problems(environment)).as(loopback).isEmpty();
        }
        environment.setProperty("record-broker.mllp.plaintext", "false");
        environment.setProperty("record-broker.mllp.bind-address", "0.0.0.0");
        assertThat(ProdSettings.problems(environment)).as("TLS binds where it likes").isEmpty();
    }

    @Test
    void theProdProfileWithoutItsSettingsDoesNotStartAndSaysWhy(CapturedOutput output) {
        // application-prod.yaml reads every one from an environment variable without a default: unset = missing
        assertThatThrownBy(() -> new SpringApplicationBuilder(RecordBrokerApplication.class)
                .web(WebApplicationType.NONE).profiles("prod")
                .run("--spring.main.banner-mode=off", "--spring.artemis.user=broker", "--spring.artemis.password=x"))
                .isInstanceOf(ProdSettingsMissingException.class)
                .satisfies(e -> assertThat(((ProdSettingsMissingException) e).problems())
                        .hasSize(all().size() - 2)
                        .noneMatch(p -> p.startsWith("spring.artemis.")));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("the prod profile is missing settings")
                .contains("record-broker.network-file (RECORD_BROKER_NETWORK_FILE) is not set")
                .contains("spring.datasource.username (DATABASE_USER) is not set")
                .contains("record-broker.mllp.tls.key-store (RECORD_BROKER_MLLP_KEY_STORE) is not set")
                .contains("record-broker.ingest.group-key (RECORD_BROKER_INGEST_GROUP_KEY) is not set");
    }
}
