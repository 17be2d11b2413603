package be.recordbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessReason;
import be.recordbroker.domain.InputRules;

/**
 * {@link Problems} answers with the mapper it was made with (a bean per application context, no static state): two
 * of them on one Camel context each write with their own; JSON answers write nulls, problems leave them out and carry
 * the reason, code and request id.
 */
class ProblemsTest {

    @Test
    void eachInstanceWritesWithItsOwnMapperEvenOnTheSameCamelContext() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Problems plain = new Problems(mapper());
            Problems snake = new Problems(mapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

            Exchange first = new DefaultExchange(camel);
            plain.json(first, 200, new Answer("x", null));
            Exchange second = new DefaultExchange(camel);
            snake.json(second, 200, new Answer("x", null));

            assertThat(first.getMessage().getBody(String.class)).isEqualTo("{\"someField\":\"x\",\"missing\":null}");
            assertThat(second.getMessage().getBody(String.class)).isEqualTo("{\"some_field\":\"x\",\"missing\":null}");
        }
    }

    @Test
    void problemsCarryTheReasonAndRequestIdAndLeaveNullsOut() throws Exception {
        ObjectMapper json = mapper();
        Problems problems = new Problems(json);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange invalid = new DefaultExchange(camel);
            invalid.getMessage().setHeader(Problems.REQUEST_ID_HEADER, "req-1");
            problems.invalidParameter(invalid, new InputRules.InvalidInputException("limit", "1-1000"));
            JsonNode problem = json.readTree(invalid.getMessage().getBody(String.class));
            assertThat(invalid.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
            assertThat(invalid.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
            assertThat(problem.path("reason").asText()).isEqualTo("INVALID_PARAMETER");
            assertThat(problem.path("code").asText()).isEqualTo("INVALID_PARAMETER");
            assertThat(problem.path("requestId").asText()).isEqualTo("req-1");
            assertThat(problem.has("instance")).as("nulls left out").isFalse();

            Exchange denied = new DefaultExchange(camel);
            problems.denied(denied, AccessDecision.deny(AccessReason.NO_CONSENT, "no consent"));
            assertThat(denied.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE))
                    .isEqualTo(AccessReason.NO_CONSENT.httpStatus());
            assertThat(json.readTree(denied.getMessage().getBody(String.class)).path("reason").asText())
                    .isEqualTo("NO_CONSENT");
        }
    }

    @Test
    void holdsNoStaticState() {
        assertThat(Arrays.stream(Problems.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
                .filter(f -> !(Modifier.isFinal(f.getModifiers()) && f.getType() == String.class))
                .map(Field::getName)).as("static fields other than constants").isEmpty();
    }

    /** As Spring Boot makes the application's mapper: nulls left out (config/application.yaml), ProblemDetail mix-in. */
    private static ObjectMapper mapper() {
        return Jackson2ObjectMapperBuilder.json().serializationInclusion(JsonInclude.Include.NON_NULL).build();
    }

    record Answer(String someField, String missing) {
    }
}
