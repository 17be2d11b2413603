package be.recordbroker.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

import be.recordbroker.domain.Hub;
import be.recordbroker.network.LocalServerAddress;

import org.apache.cxf.Bus;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.message.Message;
import org.springframework.beans.factory.annotation.Value;
import org.apache.cxf.bus.extension.ExtensionManagerBus;
import org.apache.cxf.jaxws.EndpointImpl;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.apache.cxf.wsdl.WSDLManager;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Publishes the sandbox's SOAP services, each on its own CXF bus and servlet so that every one sits at its own
 * contract path: the hubs at {@code /sandbox/hubs/{code}/intrahub/v3}, the metahub at {@code /sandbox/metahub}, the
 * Ghent hospital's KMEHR document source at {@code /sandbox/hospitals/SANDBOX-GNT/kmehr}. The broker's own SOAP face
 * stays on the default CXF servlet under {@code /services}.
 * <p>
 * The buses share the application bus's WSDL manager, which caches each WSDL and its schemas once read: the
 * IntraHub WSDL (with the KMEHR schemas) is then parsed once per process, not once per bus — the broker's face, its
 * hub clients and the sandbox's hubs and source all serve or call that one contract.
 */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
class SandboxSoapConfiguration {

    @Bean
    SandboxSoapServices sandboxSoapServices(SandboxNetwork network, Clock clock, LocalServerAddress addresses,
            SandboxFaults faults, Bus applicationBus,
            @Value("${record-broker.sandbox.soap-schema-validation:NONE}") SchemaValidationType validation) {
        // what the sandbox's hubs, metahub and sources receive and answer is checked against the served schemas
        SandboxSoapServices services = new SandboxSoapServices(validation,
                applicationBus.getExtension(WSDLManager.class));
        for (Hub hub : network.hubs().values()) {
            services.publish("/sandbox/hubs/" + hub.code() + "/intrahub/v3", "wsdl/intrahub-v3.wsdl",
                    new SandboxHub(hub, network, clock, addresses, validation, faults));
        }
        services.publish("/sandbox/metahub", "wsdl/metahub-v1.wsdl", new SandboxMetahub(network));
        for (SandboxSeed.SeedHospital hospital : network.hospitals().values()) {
            if ("soap".equals(hospital.source())) {
                services.publish("/sandbox/hospitals/" + hospital.facilityId() + "/kmehr", "wsdl/intrahub-v3.wsdl",
                        new SandboxKmehrSource(hospital, network, clock));
            }
        }
        return services;
    }

    /**
     * The published services. As a {@link ServletContextInitializer} it registers one CXF servlet per service, each
     * bound to that service's own bus, when the web server starts.
     */
    static final class SandboxSoapServices implements ServletContextInitializer {

        private final Map<String, Bus> buses = new LinkedHashMap<>();
        private final SchemaValidationType validation;
        private final WSDLManager wsdls;

        SandboxSoapServices(SchemaValidationType validation, WSDLManager wsdls) {
            this.validation = validation;
            this.wsdls = wsdls;
        }

        void publish(String path, String wsdl, Object implementor) {
            Bus bus = new ExtensionManagerBus();
            if (wsdls != null) {
                bus.setExtension(wsdls, WSDLManager.class);
            }
            EndpointImpl endpoint = new EndpointImpl(bus, implementor);
            endpoint.setWsdlLocation(wsdl);
            endpoint.setProperties(new java.util.HashMap<>(Map.of(Message.SCHEMA_VALIDATION_ENABLED, validation)));
            endpoint.publish("/");
            buses.put(path, bus);
        }

        @Override
        public void onStartup(ServletContext context) {
            buses.forEach((path, bus) -> {
                CXFNonSpringServlet servlet = new CXFNonSpringServlet();
                servlet.setBus(bus);
                ServletRegistration.Dynamic registration = context.addServlet("sandbox-soap" + path.replace('/', '-'),
                        servlet);
                registration.addMapping(path + "/*");
                registration.setLoadOnStartup(1);
            });
        }

        @PreDestroy
        void shutdown() {
            buses.values().forEach(bus -> bus.shutdown(true));
        }

        Map<String, Bus> buses() {
            return buses;
        }
    }
}
