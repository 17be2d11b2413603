package be.recordbroker.config;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * camel-platform-http's Spring MVC handler returns a {@link CompletableFuture}. Its routes run on the request thread
 * ({@link RestFaceConfiguration}), so the future has already completed when it is returned, and the response has been
 * written. Spring MVC would still start async processing and dispatch the request a second time through the whole
 * filter chain. This wraps Spring's future handler: a future that is already done marks the request handled, and
 * any other future still goes to Spring.
 */
final class CompletedFutureShortcut implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
            adapter.setReturnValueHandlers(adapter.getReturnValueHandlers().stream()
                    .map(h -> h instanceof DeferredResultMethodReturnValueHandler ? new DoneFirst(h) : h).toList());
        }
        return bean;
    }

    /** Spring's deferred-result handler, short-circuited for a future that is already done. */
    record DoneFirst(HandlerMethodReturnValueHandler spring) implements HandlerMethodReturnValueHandler {

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return spring.supportsReturnType(returnType);
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer container,
                                      NativeWebRequest request) throws Exception {
            if (!(value instanceof CompletableFuture<?> future) || !future.isDone()) {
                spring.handleReturnValue(value, returnType, container, request);
                return;
            }
            try {
                future.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
            container.setRequestHandled(true);
        }
    }
}
