package be.recordbroker.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;

import org.springframework.boot.actuate.autoconfigure.observation.ObservationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The timer of each observation (requests, route spans, hub calls), recorded by Micrometer's own handler, as Spring
 * Boot records it without tracing. With tracing, Boot wraps that handler in a {@code TracingAwareMeterObservationHandler}
 * that puts the observation's span in scope around each timer update (a context switch and the MDC's trace ids set
 * and restored), so that an exemplar can name the trace; exemplars are off here (application.yaml excludes
 * {@code PrometheusExemplarsAutoConfiguration}), so that was work for nothing, ~15 times per search. This bean takes
 * the place of Boot's (its {@code @ConditionalOnMissingBean(MeterObservationHandler.class)}) and keeps
 * {@code management.observations.long-task-timer.enabled}, as Boot's does. Spans are not touched: the tracing
 * handlers are separate.
 */
@Configuration(proxyBeanMethods = false)
public class ObservationMetersConfiguration {

    @Bean
    MeterObservationHandler<?> observationTimers(MeterRegistry meters, ObservationProperties observations) {
        return observations.getLongTaskTimer().isEnabled() ? new DefaultMeterObservationHandler(meters)
                : new DefaultMeterObservationHandler(meters, DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER);
    }
}
