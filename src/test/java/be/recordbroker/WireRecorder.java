package be.recordbroker;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * Records what arrives on the wire at the sandbox's SOAP services (path, SOAPAction header, body), so tests can prove
 * what the broker's hub client really sends.
 */
@TestConfiguration(proxyBeanMethods = false)
public class WireRecorder {

    /** One SOAP request as received. */
    public record Received(String path, String soapAction, String contentType, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();

    public List<Received> received() {
        return received;
    }

    public void clear() {
        received.clear();
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> wireRecordingFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!"POST".equals(request.getMethod())) {
                    chain.doFilter(request, response);
                    return;
                }
                ContentCachingRequestWrapper wrapper = new ContentCachingRequestWrapper(request, 1024 * 1024);
                try {
                    chain.doFilter(wrapper, response);
                } finally {
                    received.add(new Received(request.getRequestURI(), request.getHeader("SOAPAction"),
                            request.getContentType(), wrapper.getContentAsString()));
                }
            }
        });
        registration.addUrlPatterns("/sandbox/hubs/*", "/sandbox/metahub/*", "/sandbox/metahub");
        registration.setOrder(-100);
        return registration;
    }
}
