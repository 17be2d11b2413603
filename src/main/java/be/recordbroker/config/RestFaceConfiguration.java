package be.recordbroker.config;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import be.recordbroker.web.Problems;
import be.recordbroker.web.RestAnswerHeaders;

/**
 * The REST face's HTTP engine and its answers ({@link Problems}): camel-platform-http on Spring Boot's Tomcat, each request's route run on the Tomcat
 * thread that read it. camel-platform-http's default hands every request to Spring's task executor and completes it
 * asynchronously; a search mostly waits for its hubs on other threads anyway, so that hand-off only added a thread
 * switch and queueing to every request (found by the search benchmark). Concurrency is Tomcat's
 * ({@code server.tomcat.threads.max}, 200 by default).
 */
@Configuration(proxyBeanMethods = false)
public class RestFaceConfiguration {

    /** The name camel-platform-http looks the engine up by. */
    @Bean(name = "platform-http-engine")
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }

    /**
     * The REST routes' answers carry only the headers the broker sets for them, never what came with the request
     * (web/RestAnswerHeaders.java).
     */
    @Bean
    ComponentCustomizer restAnswerHeaders() {
        return ComponentCustomizer.forType(PlatformHttpComponent.class,
                component -> component.setHeaderFilterStrategy(new RestAnswerHeaders()));
    }

    /** The REST routes' JSON and problem+json answers, written with the application's mapper (one per context). */
    @Bean
    Problems problems(ObjectMapper json) {
        return new Problems(json);
    }

    /** Answers a request whose route already ran without Spring MVC's async re-dispatch. */
    @Bean
    static CompletedFutureShortcut completedFutureShortcut() {
        return new CompletedFutureShortcut();
    }
}
