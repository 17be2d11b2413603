package be.recordbroker.retrieve;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import be.recordbroker.network.Hospital;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.LocalServerAddress;

/**
 * A connected hospital's REST document source: {@code GET <url with {localId}>}, answered with the body left open for
 * the face to stream. {@link HttpURLConnection} because its read timeout bounds every read, not only the wait for the
 * headers: a source that stalls in the middle of a large document is dropped after the receive timeout instead of
 * holding a thread forever (java.net.http's request timeout stops at the headers). Reads larger than its internal
 * buffer go straight from the socket to the caller's buffer.
 */
public class RestDocumentSource {

    private final LocalServerAddress addresses;

    public RestDocumentSource(LocalServerAddress addresses) {
        this.addresses = addresses;
    }

    /**
     * @throws RetrievalFailure {@code SOURCE_TIMEOUT} when the source does not connect or answer within its timeouts,
     *                          {@code SOURCE_UNAVAILABLE} when it cannot be reached or answers anything but 200
     */
    public StreamedContent open(Hospital hospital, String localId) {
        HttpEndpoint endpoint = hospital.source().endpoint();
        URI uri = addresses.resolve(endpoint.url().replace("{localId}", pathSegment(localId)));
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(millis(endpoint.connectTimeout().toMillis()));
            connection.setReadTimeout(millis(endpoint.receiveTimeout().toMillis()));
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept", "*/*");
            // the content travels as the source sends it: a transparent gzip would change the bytes and the length
            connection.setRequestProperty("Accept-Encoding", "identity");
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                connection.disconnect();
                throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE,
                        "the document source of " + hospital.facilityId() + " answered HTTP " + status);
            }
            String contentType = connection.getContentType();
            InputStream body = connection.getInputStream();
            HttpURLConnection open = connection;
            return new StreamedContent(SourceRoute.REST_SOURCE,
                    contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType,
                    connection.getContentLengthLong(), body, open::disconnect);
        } catch (SocketTimeoutException e) {
            disconnect(connection);
            throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_TIMEOUT, "the document source of "
                    + hospital.facilityId() + " did not answer within " + endpoint.receiveTimeout().toMillis() + " ms");
        } catch (IOException | IllegalArgumentException e) {
            disconnect(connection);
            throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE, "the document source of "
                    + hospital.facilityId() + " cannot be reached (" + e.getClass().getSimpleName() + ")");
        }
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
