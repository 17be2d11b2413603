package be.recordbroker.config;

import javax.xml.namespace.QName;

import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.cxf.Bus;
import org.apache.cxf.attachment.AttachmentDeserializer;
import org.apache.cxf.message.Message;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;

import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.recordbroker.soap.LargeContentMtom;
import be.recordbroker.soap.SoapAnswerHeaders;
import be.recordbroker.soap.SoapFaultSanitizer;
import be.recordbroker.soap.SoapRequestSizeFilter;

/**
 * The broker's SOAP face: the IntraHub v3 endpoint on the default CXF servlet ({@code cxf.path}, /services), served
 * from the project's WSDL, and its request size cap. Its callers are authenticated by Spring Security (client
 * certificate; Basic in the sandbox: {@code config.SecurityConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SoapSchemaValidationProperties.class)
public class SoapFaceConfiguration {

    static final String NS = "http://www.ehealth.fgov.be/hubservices/protocol/v3";

    @Bean
    CxfEndpoint brokerIntraHub(Bus bus, RetrieveProperties retrieve, SoapSchemaValidationProperties validation,
                               @Value("${record-broker.soap.max-request-size:1MB}") DataSize maxRequestSize) {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setBus(bus);
        endpoint.setAddress("/intrahub/v3");
        endpoint.setServiceClass(IntraHubPortType.class);
        endpoint.setWsdlURL("classpath:wsdl/intrahub-v3.wsdl");
        endpoint.setServiceNameAsQName(new QName(NS, "IntraHubService"));
        endpoint.setEndpointNameAsQName(new QName(NS, "IntraHubPort"));
        endpoint.setDataFormat(DataFormat.POJO);
        // the answer carries none of the request's HTTP headers (its credentials among them): soap/SoapAnswerHeaders
        endpoint.setHeaderFilterStrategy(new SoapAnswerHeaders());
        // A large wrapped document (GetTransaction) leaves as an MTOM attachment; every other answer stays plain SOAP.
        endpoint.getOutInterceptors().add(new LargeContentMtom(retrieve.getMtomThreshold().toBytes()));
        // A fault's reason is the broker's own text, or a generic one with a trace id: never an exception's (SQL).
        endpoint.getOutFaultInterceptors().add(new SoapFaultSanitizer());
        // Requests are capped (SoapRequestSizeFilter); an MTOM request's attachments then stay in memory: CXF would
        // otherwise spool attachments over 100 KB to temp files.
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(AttachmentDeserializer.ATTACHMENT_MEMORY_THRESHOLD, maxRequestSize.toBytes());
        properties.put(AttachmentDeserializer.ATTACHMENT_MAX_SIZE, maxRequestSize.toBytes());
        // Requests (IN) and/or answers (OUT) checked against the served schemas (record-broker.soap.schema-validation.face)
        endpoint.setProperties(properties);
        // Set on CXF's server endpoint, not in the properties above: Camel also binds those onto CxfEndpoint's own
        // setters, and its Boolean schemaValidationEnabled cannot take IN/OUT (a WARN with a stack trace each start).
        SchemaValidationType faceValidation = validation.getFace();
        endpoint.setCxfConfigurer(new CxfConfigurer() {
            @Override
            public void configure(AbstractWSDLBasedEndpointFactory factory) {
            }

            @Override
            public void configureClient(Client client) {
            }

            @Override
            public void configureServer(Server server) {
                server.getEndpoint().put(Message.SCHEMA_VALIDATION_ENABLED, faceValidation);
            }
        });
        return endpoint;
    }

    /** The size cap of SOAP requests, after the caller's authentication (an unknown caller gets 401, unread). */
    @Bean
    FilterRegistrationBean<SoapRequestSizeFilter> soapRequestSizeCap(
            @Value("${record-broker.soap.max-request-size:1MB}") DataSize maxRequestSize,
            @Value("${cxf.path:/services}") String cxfPath) {
        FilterRegistrationBean<SoapRequestSizeFilter> registration =
                new FilterRegistrationBean<>(new SoapRequestSizeFilter(maxRequestSize.toBytes()));
        registration.addUrlPatterns(cxfPath + "/*");
        registration.setName("soapRequestSizeCap");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }
}
