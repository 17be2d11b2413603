package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/** A REST route that already ran answers without Spring MVC's async re-dispatch; anything else goes to Spring. */
class CompletedFutureShortcutTest {

    final AtomicInteger springCalls = new AtomicInteger();
    final HandlerMethodReturnValueHandler spring = new HandlerMethodReturnValueHandler() {
        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return true;
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer container,
                                      NativeWebRequest request) {
            springCalls.incrementAndGet();
        }
    };
    final CompletedFutureShortcut.DoneFirst handler = new CompletedFutureShortcut.DoneFirst(spring);

    @Test
    void aCompletedFutureMarksTheRequestHandledWithoutSpringsAsyncPath() throws Exception {
        ModelAndViewContainer container = new ModelAndViewContainer();
        handler.handleReturnValue(CompletableFuture.completedFuture(null), null, container, null);
        assertThat(container.isRequestHandled()).isTrue();
        assertThat(springCalls).hasValue(0);
    }

    @Test
    void aFutureNotYetDoneGoesToSpring() throws Exception {
        ModelAndViewContainer container = new ModelAndViewContainer();
        handler.handleReturnValue(new CompletableFuture<Void>(), null, container, null);
        assertThat(springCalls).hasValue(1);
        assertThat(container.isRequestHandled()).isFalse();
    }

    @Test
    void aFailedFutureRethrowsItsCause() {
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new IllegalStateException("route failed"));
        assertThatThrownBy(() -> handler.handleReturnValue(failed, null, new ModelAndViewContainer(), null))
                .isInstanceOf(IllegalStateException.class).hasMessage("route failed");
        assertThat(springCalls).hasValue(0);
    }
}
