package be.recordbroker.network;

import java.net.URI;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Resolves the network file's URLs. A path-only URL ("/sandbox/hubs/rsb/intrahub/v3") names this broker's own HTTP
 * server on loopback, whatever port it got (tests use a random one); absolute URLs are returned unchanged.
 */
@Component
public class LocalServerAddress implements ApplicationListener<WebServerInitializedEvent>, ApplicationContextAware {

    private volatile ApplicationContext context;
    private volatile int port = -1;

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("server".equals(event.getApplicationContext().getServerNamespace())
                || event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    public URI resolve(String url) {
        if (url.startsWith("/")) {
            int known = port();
            if (known < 0) {
                throw new IllegalStateException("the local HTTP server has not started; cannot resolve " + url);
            }
            return URI.create("http://127.0.0.1:" + known + url);
        }
        return URI.create(url);
    }

    /**
     * The main server's port: from its start event, or — for a request served before that event reached this
     * listener (Tomcat accepts as soon as its connector is bound) — from the server itself.
     */
    public int port() {
        if (port < 0 && context instanceof WebServerApplicationContext web
                && web.getServerNamespace() == null && web.getWebServer() != null && web.getWebServer().getPort() > 0) {
            port = web.getWebServer().getPort();
        }
        return port;
    }
}
