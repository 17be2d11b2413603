package be.recordbroker.bench;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The start benchmark's anchor ({@link StartBenchmark}): a bare Spring Boot + Camel application — Spring MVC on
 * Tomcat, the actuator with its readiness probe, Camel with one timer route — started as its own JVM the way the
 * broker is, on a class path of only those libraries ({@link StartBenchmark#ANCHOR_LIBRARIES}).
 * <p>
 * Not a {@code @Configuration}: component scanning of {@code be.recordbroker} (the broker's, in tests) must not pick it
 * up; as the primary source of its own {@link SpringApplication} its annotations and {@code @Bean} methods still count.
 */
@EnableAutoConfiguration
public class StartAnchorApplication {

    @Bean
    RouteBuilder tick() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:tick?period=60000").routeId("tick").log("tick");
            }
        };
    }

    public static void main(String[] args) {
        SpringApplication.run(StartAnchorApplication.class, args);
    }
}
