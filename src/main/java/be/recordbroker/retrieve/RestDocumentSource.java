package be.recordbroker.retrieve;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplySenderContext;

import be.recordbroker.kmehr.ClientCallObservations;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.LocalServerAddress;

/**
 * A connected hospital's REST document source: {@code GET <url with {localId}>}, answered with the body left open for
 * the face to stream. {@link HttpURLConnection} because its read timeout bounds every read, not only the wait for the
 * headers: a source that stalls in the middle of a large document is dropped after the receive timeout instead of
 * holding a thread forever (java.net.http's request timeout stops at the headers). Reads larger than its internal
 * buffer go straight from the socket to the caller's buffer.
 *
 * <p>Each call is a client span ({@code rb.client.call}, tags {@code peer=source:<facility>} and {@code operation=GET},
 * as the SOAP calls of {@link ClientCallObservations}), child of the retrieval route's, with the W3C
 * {@code traceparent} sent to the source. It lasts until the body is closed or the connection dropped: the transfer
 * is most of a large document's time.
 */
public class RestDocumentSource {

    static final String OPERATION = "GET";

    private final LocalServerAddress addresses;
    private final ObservationRegistry observations;

    public RestDocumentSource(LocalServerAddress addresses) {
        this(addresses, ObservationRegistry.NOOP);
    }

    public RestDocumentSource(LocalServerAddress addresses, ObservationRegistry observations) {
        this.addresses = addresses;
        this.observations = observations;
    }

    /**
     * @throws RetrievalFailure {@code SOURCE_TIMEOUT} when the source does not connect or answer within its timeouts,
     *                          {@code SOURCE_UNAVAILABLE} when it cannot be reached or answers anything but 200
     */
    public StreamedContent open(Hospital hospital, String localId) {
        HttpEndpoint endpoint = hospital.source().endpoint();
        URI uri = addresses.resolve(endpoint.url().replace("{localId}", pathSegment(localId)));
        HttpURLConnection connection = null;
        Observation call = Observation.NOOP;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            call = start(connection, "source:" + hospital.facilityId());
            connection.setConnectTimeout(millis(endpoint.connectTimeout().toMillis()));
            connection.setReadTimeout(millis(endpoint.receiveTimeout().toMillis()));
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept", "*/*");
            // the content travels as the source sends it: a transparent gzip would change the bytes and the length
            connection.setRequestProperty("Accept-Encoding", "identity");
            int status = connection.getResponseCode();
            call.highCardinalityKeyValue(KeyValue.of("http.status_code", Integer.toString(status)));
            if (status != HttpURLConnection.HTTP_OK) {
                connection.disconnect();
                throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE,
                        "the document source of " + hospital.facilityId() + " answered HTTP " + status);
            }
            String contentType = connection.getContentType();
            InputStream body = connection.getInputStream();
            HttpURLConnection open = connection;
            Observation transfer = call;
            return new StreamedContent(SourceRoute.REST_SOURCE,
                    contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType,
                    connection.getContentLengthLong(), body, open::disconnect, aborted -> {
                        if (aborted) {
                            transfer.error(new IOException("transfer dropped before the end of the document"));
                        }
                        transfer.stop();
                    });
        } catch (SocketTimeoutException e) {
            disconnect(connection);
            throw failed(call, new RetrievalFailure(RetrievalFailure.Reason.SOURCE_TIMEOUT, "the document source of "
                    + hospital.facilityId() + " did not answer within " + endpoint.receiveTimeout().toMillis() + " ms"));
        } catch (IOException | IllegalArgumentException e) {
            disconnect(connection);
            throw failed(call, new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE, "the document source of "
                    + hospital.facilityId() + " cannot be reached (" + e.getClass().getSimpleName() + ")"));
        } catch (RetrievalFailure e) {
            throw failed(call, e);
        }
    }

    /** The client span, started before the request is sent so that the propagator's headers go out with it. */
    private Observation start(HttpURLConnection connection, String peer) {
        if (observations.isNoop()) {
            return Observation.NOOP;
        }
        RequestReplySenderContext<HttpURLConnection, Integer> context =
                new RequestReplySenderContext<>((carrier, key, value) -> carrier.setRequestProperty(key, value));
        context.setCarrier(connection);
        context.setRemoteServiceName(peer);
        return Observation.createNotStarted(ClientCallObservations.NAME, () -> context, observations)
                .contextualName(peer + " " + OPERATION)
                .lowCardinalityKeyValue(KeyValue.of("peer", peer))
                .lowCardinalityKeyValue(KeyValue.of("operation", OPERATION))
                .start();
    }

    private static RetrievalFailure failed(Observation call, RetrievalFailure failure) {
        call.error(failure);
        call.stop();
        return failure;
    }

    private static void disconnect(HttpURLConnection connection) {
        if (connection != null) {
            connection.disconnect();
        }
    }

    private static int millis(long millis) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    /** RFC 3986 path-segment encoding: unreserved characters stay, every other UTF-8 byte is percent-encoded. */
    static String pathSegment(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
