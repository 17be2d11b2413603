package be.recordbroker.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import be.recordbroker.retrieve.KmehrContent;
import be.recordbroker.retrieve.OpenedDocument;
import be.recordbroker.retrieve.Retrieval;
import be.recordbroker.retrieve.RetrievalFailure;
import be.recordbroker.retrieve.RetrievalMetrics;
import be.recordbroker.retrieve.StreamedContent;

/**
 * Writes an opened document to a REST caller. A streamed source is copied through one buffer of
 * {@code record-broker.retrieve.buffer-size}: nothing is kept, nothing touches the disk, memory does not grow with the
 * document. The status and headers are committed only once the source's first bytes are in hand, so a source that
 * fails to deliver them still gets a clean problem+json ({@code SOURCE_TIMEOUT}, {@code SOURCE_UNAVAILABLE}). A source
 * that fails later, or delivers fewer bytes than it announced, makes the broker drop the caller's connection: with the
 * source's Content-Length the caller sees the truncation, and a chunked answer gets no final chunk.
 * A KMEHR answer (SOAP source, hub relay) is already in memory; it goes out unwrapped, with its length.
 */
public class DocumentStreamer {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentStreamer.class);

    private final int bufferSize;
    private final RetrievalMetrics metrics;

    public DocumentStreamer(int bufferSize, RetrievalMetrics metrics) {
        this.bufferSize = bufferSize;
        this.metrics = metrics;
    }

    /** How a face writes a refusal (REST: problem+json; FHIR: an OperationOutcome). */
    @FunctionalInterface
    public interface Refusal {
        void write(HttpServletResponse response, int status, String reason, String detail, String requestId)
                throws IOException;
    }

    /**
     * Streams a document to a face: {@code face} tags the metrics, {@code refusal} writes the answer when the source
     * fails before its first byte.
     */
    public void stream(OpenedDocument document, HttpServletResponse response, long started, String face,
                       Refusal refusal) throws IOException {
        Retrieval retrieval = document.retrieval();
        if (document.content() instanceof StreamedContent streamed) {
            try {
                streamed(streamed, retrieval, response, started, face, refusal);
            } catch (RuntimeException | Error e) {
                streamed.abort(); // never leave a source connection open behind a bug
                throw e;
            }
        } else if (document.content() instanceof KmehrContent kmehr) {
            whole(kmehr, retrieval, response, started, face);
        }
    }

    private void streamed(StreamedContent source, Retrieval retrieval, HttpServletResponse response, long started,
                          String face, Refusal refusal) throws IOException {
        String requestId = retrieval.request().requestId();
        String route = retrieval.routeTag();
        InputStream in = source.body();
        byte[] buffer = new byte[bufferSize];
        int n;
        try {
            n = in.read(buffer);
        } catch (IOException e) {
            source.abort();
            RetrievalFailure.Reason reason = e instanceof SocketTimeoutException
                    ? RetrievalFailure.Reason.SOURCE_TIMEOUT : RetrievalFailure.Reason.SOURCE_UNAVAILABLE;
            refusal.write(response, reason.httpStatus(), reason.name(), "the document source failed before its"
                    + " first byte (" + e.getClass().getSimpleName() + ")", requestId);
            metrics.record(face, route, reason.outcome(), 0, System.nanoTime() - started);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(source.mimeType());
        if (source.length() >= 0) {
            response.setContentLengthLong(source.length());
        }
        commonHeaders(response, requestId);
        // A full buffer written into an empty response buffer of the same size goes to the socket without another
        // copy (Tomcat); with its default 8 KB buffer every chunk would be copied and flushed in 8 KB pieces.
        response.setBufferSize(buffer.length);
        OutputStream out = response.getOutputStream();
        long total = 0;
        while (n != -1) {
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                source.abort();
                metrics.record(face, route, RetrievalMetrics.CLIENT_GONE, total, System.nanoTime() - started);
                throw e;
            }
            total += n;
            try {
                n = fill(in, buffer);
            } catch (IOException e) {
                throw abort(source, retrieval, total, started, e.getClass().getSimpleName(), face);
            }
        }
        if (source.length() >= 0 && total != source.length()) {
            throw abort(source, retrieval, total, started, "ended after " + total + " of " + source.length() + " bytes",
                    face);
        }
        try {
            out.flush();
        } catch (IOException e) {
            source.abort();
            metrics.record(face, route, RetrievalMetrics.CLIENT_GONE, total, System.nanoTime() - started);
            throw e;
        }
        source.close();
        metrics.record(face, route, RetrievalMetrics.OK, total, System.nanoTime() - started);
    }

    /**
     * Reads until the buffer is full or the source ends (a socket read gives what has arrived, often a fraction of the
     * buffer): -1 at the end. Each read is still bounded by the source's receive timeout. Writing each read as it came
     * was measured slower and erratic here (the benchmark's relay fell to 50-500 MB/s against a steady ~700).
     */
    private static int fill(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n == -1) {
                break;
            }
            filled += n;
        }
        return filled == 0 ? -1 : filled;
    }

    /**
     * The caller's answer is already committed: the only honest signal left is to close its connection, which Tomcat
     * does, quietly, for a servlet that ends with a {@link ClientAbortException} (see
     * {@code rest.DocumentRetrieveServlet}).
     */
    private IOException abort(StreamedContent source, Retrieval retrieval, long total, long started, String why,
                              String face) {
        source.abort();
        LOG.warn("retrieval {}: document source failed mid-stream ({}), caller's connection dropped",
                retrieval.request().requestId(), why);
        metrics.record(face, retrieval.routeTag(), RetrievalMetrics.ABORTED, total, System.nanoTime() - started);
        return new ClientAbortException("document source failed mid-stream: " + why);
    }

    private void whole(KmehrContent kmehr, Retrieval retrieval, HttpServletResponse response, long started,
                       String face) throws IOException {
        byte[] bytes = kmehr.bytes();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(kmehr.mimeType(retrieval.entry() == null ? null : retrieval.entry().mimeType()));
        response.setContentLengthLong(bytes.length);
        commonHeaders(response, retrieval.request().requestId());
        try {
            OutputStream out = response.getOutputStream();
            for (int off = 0; off < bytes.length; off += bufferSize) {
                out.write(bytes, off, Math.min(bufferSize, bytes.length - off));
            }
            out.flush();
        } catch (IOException e) {
            metrics.record(face, retrieval.routeTag(), RetrievalMetrics.CLIENT_GONE, 0, System.nanoTime() - started);
            throw e;
        }
        metrics.record(face, retrieval.routeTag(), RetrievalMetrics.OK, bytes.length, System.nanoTime() - started);
    }

    private static void commonHeaders(HttpServletResponse response, String requestId) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(Problems.REQUEST_ID_HEADER, requestId);
    }
}
