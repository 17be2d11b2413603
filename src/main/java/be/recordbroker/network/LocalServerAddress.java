package be.recordbroker.network;

import java.net.URI;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Resolves the network file's URLs. A path-only URL ("/sandbox/hubs/rsb/intrahub/v3") names this broker's own HTTP
 * server on loopback, whatever port it got (tests use a random one); absolute URLs are returned unchanged.
 */
@Component
public class LocalServerAddress implements ApplicationListener<WebServerInitializedEvent>, Ordered {

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("server".equals(event.getApplicationContext().getServerNamespace())
                || event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    /**
     * First among the listeners of the server's start: Tomcat already accepts requests when the event is published,
     * and the management server's context (started by another listener of the same event) takes a while to start;
     * a request that needs the address meanwhile (a bearer token, whose key set is a local URL in the sandbox) must
     * find it.
     */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    public URI resolve(String url) {
        if (url.startsWith("/")) {
            if (port < 0) {
                throw new IllegalStateException("the local HTTP server has not started; cannot resolve " + url);
            }
            return URI.create("http://127.0.0.1:" + port + url);
        }
        return URI.create(url);
    }

    public int port() {
        return port;
    }
}
