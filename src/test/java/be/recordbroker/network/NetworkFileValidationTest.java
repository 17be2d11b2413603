package be.recordbroker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/** A bad network file stops start-up with a message that names the file, the line and the field. */
@ExtendWith(OutputCaptureExtension.class)
class NetworkFileValidationTest {

    private static ConfigurableApplicationContext start(String file) {
        return new SpringApplicationBuilder(NetworkConfiguration.class, ValidationAutoConfiguration.class,
                PropertyPlaceholderAutoConfiguration.class)
                .web(WebApplicationType.NONE)
                .profiles("network-check") // not the sandbox's default profile: no configuration besides the file
                .properties("spring.config.location=optional:classpath:/no-such-folder/",
                        "spring.config.import=file:src/test/resources/network/" + file)
                .run();
    }

    @Test
    void aHubWithAShortEhpIdStopsStartUpNamingFileLineAndField(CapturedOutput output) {
        assertThatThrownBy(() -> start("bad-ehp-id.yaml")).isInstanceOf(Exception.class);
        assertThat(output).contains("record-broker.network.hubs[0].ehp-id")
                .contains("bad-ehp-id.yaml")
                .containsPattern("bad-ehp-id.yaml\\]? - 8:\\d+")
                .contains("must be the hub's 10-digit EHP number");
    }

    @Test
    void aHospitalOnAnUnknownHubStopsStartUp(CapturedOutput output) {
        assertThatThrownBy(() -> start("unknown-hub.yaml")).isInstanceOf(Exception.class);
        assertThat(output).contains("hospitals[0].hub")
                .contains("hospital hub 'vitalink' is not one of the configured hubs");
    }

    @Test
    void aHubCodeUsedTwiceStopsStartUp(CapturedOutput output) {
        assertThatThrownBy(() -> start("duplicate-code.yaml")).isInstanceOf(Exception.class);
        assertThat(output).contains("hubs[1].code").contains("hub code 'rsb' is used twice");
    }

    @Test
    void theShippedNetworkFileIsValid() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NetworkConfiguration.class,
                ValidationAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class)
                .web(WebApplicationType.NONE)
                .profiles("network-check") // not the sandbox's default profile: no configuration besides the file
                .properties("spring.config.location=optional:classpath:/no-such-folder/",
                        "spring.config.import=file:config/network.yaml")
                .run()) {
            Network network = context.getBean(Network.class);
            assertThat(network.hubs().all()).extracting(h -> h.code()).containsExactly("rsb", "cozo", "rsw");
            assertThat(network.hubs().byEhpId("1990000728")).get().extracting(h -> h.sourceLabel()).isEqualTo("RSBID");
            assertThat(network.hubs().bySourceLabel("RSWID")).get().extracting(h -> h.code()).isEqualTo("rsw");
            assertThat(network.hospital("SANDBOX-GNT")).get().extracting(Hospital::hubCode).isEqualTo("cozo");
            assertThat(network.hospitals()).hasSize(3);
        }
    }
}
