package be.recordbroker.sandbox;


import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The sandbox hospitals' document-source fault knobs: the faults, their filter and {@code /sandbox/hospitals/{facility}/faults}. */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
class SandboxSourceFaultConfiguration {

    @Bean
    SandboxSourceFaults sandboxSourceFaults() {
        return new SandboxSourceFaults();
    }

    @Bean
    FilterRegistrationBean<SandboxSourceFaultFilter> sandboxSourceFaultFilter(SandboxSourceFaults faults) {
        FilterRegistrationBean<SandboxSourceFaultFilter> registration =
                new FilterRegistrationBean<>(new SandboxSourceFaultFilter(faults));
        registration.addUrlPatterns("/sandbox/hospitals/*");
        registration.setName("sandboxSourceFaultFilter");
        return registration;
    }

    @RestController
    @Profile("sandbox")
    static class SourceFaultController {

        record FaultsRequest(Long latencyMs, Double errorRate, Boolean down, Long failAfterBytes) {
        }

        private final SandboxNetwork network;
        private final SandboxSourceFaults faults;

        SourceFaultController(SandboxNetwork network, SandboxSourceFaults faults) {
            this.network = network;
            this.faults = faults;
        }

        @PutMapping(path = "/sandbox/hospitals/{facility}/faults", produces = "application/json")
        SandboxSourceFaults.Faults set(@PathVariable String facility, @RequestBody FaultsRequest request) {
            known(facility);
            SandboxSourceFaults.Faults f = new SandboxSourceFaults.Faults(
                    request.latencyMs() == null ? 0 : request.latencyMs(),
                    request.errorRate() == null ? 0.0 : request.errorRate(),
                    Boolean.TRUE.equals(request.down()),
                    request.failAfterBytes() == null ? 0 : request.failAfterBytes());
            faults.set(facility, f);
            return f;
        }

        @GetMapping(path = "/sandbox/hospitals/{facility}/faults", produces = "application/json")
        SandboxSourceFaults.Faults get(@PathVariable String facility) {
            known(facility);
            return faults.of(facility);
        }

        private void known(String facility) {
            if (network.hospital(facility) == null) {
                throw new SandboxProblem(HttpStatus.NOT_FOUND, "UNKNOWN_HOSPITAL", "no sandbox hospital '" + facility + "'");
            }
        }
    }
}
