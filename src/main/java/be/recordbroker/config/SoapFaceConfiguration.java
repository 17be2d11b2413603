package be.recordbroker.config;

import javax.xml.namespace.QName;

import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.cxf.Bus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.recordbroker.kmehr.SoapCallerAuthenticationFilter;

/**
 * The broker's SOAP face: the IntraHub v3 endpoint on the default CXF servlet ({@code cxf.path}, /services), served
 * from the project's WSDL, and the transport-level authentication of its callers.
 */
@Configuration(proxyBeanMethods = false)
public class SoapFaceConfiguration {

    static final String NS = "http://www.ehealth.fgov.be/hubservices/protocol/v3";

    @Bean
    CxfEndpoint brokerIntraHub(Bus bus) {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setBus(bus);
        endpoint.setAddress("/intrahub/v3");
        endpoint.setServiceClass(IntraHubPortType.class);
        endpoint.setWsdlURL("classpath:wsdl/intrahub-v3.wsdl");
        endpoint.setServiceNameAsQName(new QName(NS, "IntraHubService"));
        endpoint.setEndpointNameAsQName(new QName(NS, "IntraHubPort"));
        endpoint.setDataFormat(DataFormat.POJO);
        return endpoint;
    }

    @Bean
    FilterRegistrationBean<SoapCallerAuthenticationFilter> soapCallerAuthentication(IdentityProperties identity,
            @Value("${cxf.path:/services}") String cxfPath) {
        Map<String, String> callers = new LinkedHashMap<>();
        identity.getSoapCallers().forEach(c -> callers.put(c.getName(), c.getSecretSha256()));
        FilterRegistrationBean<SoapCallerAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new SoapCallerAuthenticationFilter(callers));
        registration.addUrlPatterns(cxfPath + "/*");
        registration.setName("soapCallerAuthentication");
        return registration;
    }
}
