package be.recordbroker.network;

import java.time.Duration;

/** An HTTP address from the network file with its timeouts. A path-only {@code url} means this broker's own server. */
public record HttpEndpoint(String url, Duration connectTimeout, Duration receiveTimeout) {

    static HttpEndpoint of(NetworkProperties.Endpoint e) {
        return new HttpEndpoint(e.getUrl(), e.getConnectTimeout(), e.getReceiveTimeout());
    }
}
