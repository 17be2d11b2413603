package be.recordbroker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import be.recordbroker.RecordBrokerApplication;

/** The sandbox never starts with prod, nor on anything but loopback (SandboxGuard). */
@ExtendWith(OutputCaptureExtension.class)
class SandboxGuardTest {

    private static MockEnvironment sandbox() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("server.address", "127.0.0.1")
                .withProperty("record-broker.mllp.bind-address", "127.0.0.1");
        environment.setActiveProfiles("sandbox");
        return environment;
    }

    @Test
    void theSandboxOnLoopbackAloneMayStart() {
        assertThat(SandboxGuard.problems(sandbox())).isEmpty();
        MockEnvironment ipv6 = sandbox().withProperty("server.address", "::1")
                .withProperty("record-broker.mllp.bind-address", "localhost");
        assertThat(SandboxGuard.problems(ipv6)).isEmpty();
    }

    @Test
    void withoutTheSandboxProfileNothingIsChecked() {
        MockEnvironment environment = new MockEnvironment().withProperty("server.address", "0.0.0.0");
        environment.setActiveProfiles("prod");
        assertThat(SandboxGuard.problems(environment)).isEmpty();
    }

    @Test
    void sandboxWithProdIsRefused() {
        MockEnvironment environment = sandbox();
        environment.setActiveProfiles("sandbox", "prod");
        assertThat(SandboxGuard.problems(environment)).singleElement().asString()
                .contains("'sandbox' and 'prod'");
    }

    @Test
    void anyAddressButLoopbackIsRefused() {
        assertThat(SandboxGuard.problems(sandbox().withProperty("server.address", "0.0.0.0")))
                .singleElement().asString().startsWith("server.address = \"0.0.0.0\"").contains("loopback");
        assertThat(SandboxGuard.problems(sandbox().withProperty("record-broker.mllp.bind-address", "10.1.2.3")))
                .singleElement().asString().startsWith("record-broker.mllp.bind-address = \"10.1.2.3\"");
        MockEnvironment unset = new MockEnvironment();
        unset.setActiveProfiles("sandbox");
        assertThat(SandboxGuard.problems(unset)).hasSize(2)
                .allSatisfy(p -> assertThat(p).contains("not set: every interface"));
        assertThat(SandboxGuard.problems(sandbox().withProperty("management.server.port", "8081")))
                .singleElement().asString().startsWith("management.server.address");
        assertThat(SandboxGuard.problems(sandbox().withProperty("management.server.port", "8081")
                .withProperty("management.server.address", "127.0.0.1"))).isEmpty();
    }

    @Test
    void aSeparateManagementPortWithNoAddressGetsLoopback() {
        MockEnvironment environment = sandbox().withProperty("management.server.port", "8081");
        new SandboxGuard().postProcessEnvironment(environment, null);
        assertThat(environment.getProperty("management.server.address")).isEqualTo("127.0.0.1");
        MockEnvironment everywhere = sandbox().withProperty("management.server.port", "8081")
                .withProperty("management.server.address", "0.0.0.0");
        assertThatThrownBy(() -> new SandboxGuard().postProcessEnvironment(everywhere, null))
                .isInstanceOf(SandboxRefusedException.class).hasMessageContaining("management.server.address");
    }

    @Test
    void theBrokerRefusesToStartTheSandboxWithProd(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(RecordBrokerApplication.class)
                .web(WebApplicationType.NONE).profiles("prod", "sandbox").run("--spring.main.banner-mode=off"))
                .isInstanceOf(SandboxRefusedException.class)
                .hasMessageContaining("'sandbox' and 'prod' are both active");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("the sandbox refuses to start");
    }

    @Test
    void theBrokerRefusesToStartTheSandboxOnEveryInterface(CapturedOutput output) {
        // no profile: the sandbox is the default one where its classes are on the class path
        assertThatThrownBy(() -> new SpringApplicationBuilder(RecordBrokerApplication.class)
                .web(WebApplicationType.NONE).run("--spring.main.banner-mode=off", "--server.address=0.0.0.0"))
                .isInstanceOf(SandboxRefusedException.class)
                .hasMessageContaining("server.address = \"0.0.0.0\"");
        assertThat(output).contains("APPLICATION FAILED TO START");
    }
}
