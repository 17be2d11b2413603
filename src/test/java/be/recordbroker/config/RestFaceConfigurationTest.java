package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import be.recordbroker.SandboxIntegrationTest;

/** In the running broker, Spring MVC's future handler is the short-circuiting one (the REST tests use it). */
class RestFaceConfigurationTest extends SandboxIntegrationTest {

    @Autowired
    RequestMappingHandlerAdapter adapter;

    @Test
    void springsFutureHandlerIsWrapped() {
        assertThat(adapter.getReturnValueHandlers())
                .anyMatch(h -> h instanceof CompletedFutureShortcut.DoneFirst)
                .noneMatch(h -> h instanceof DeferredResultMethodReturnValueHandler);
    }
}
