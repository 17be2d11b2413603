package be.recordbroker.config;

import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

import be.recordbroker.web.TraceIds;

/**
 * Adds ECS's {@code trace.id} to every structured (JSON) log line written while a span is current (issue 16). Read
 * from OpenTelemetry's current context on the logging thread: in a standalone prod JVM the MDC was found without
 * Micrometer's trace id (logging.structured.json.customizer in config/application-prod.yaml).
 */
public class TraceIdLogMembers implements StructuredLoggingJsonMembersCustomizer<ILoggingEvent> {

    @Override
    public void customize(JsonWriter.Members<ILoggingEvent> members) {
        members.add("trace", event -> {
            String id = TraceIds.current();
            return id == null ? null : Map.of("id", id);
        }).whenNotNull();
    }
}
