package be.recordbroker.retrieve;

import java.io.IOException;
import java.io.InputStream;

/**
 * A document as a REST source streams it: its media type, its length when the source gave one (else -1), and the open
 * body. The bytes are read once, in bounded chunks, and never kept. {@link #abort()} drops the connection (a caller
 * who went away, a failed write) instead of letting the HTTP client drain the rest of a large body.
 */
public final class StreamedContent implements DocumentContent {

    private final SourceRoute route;
    private final String mimeType;
    private final long length;
    private final InputStream body;
    private final Runnable disconnect;
    private final Ended ended;
    private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();

    /** Told once, when the body is closed or the connection dropped (the source call's span ends there). */
    @FunctionalInterface
    public interface Ended {
        void ended(boolean aborted);
    }

    public StreamedContent(SourceRoute route, String mimeType, long length, InputStream body, Runnable disconnect) {
        this(route, mimeType, length, body, disconnect, aborted -> { });
    }

    public StreamedContent(SourceRoute route, String mimeType, long length, InputStream body, Runnable disconnect,
                           Ended ended) {
        this.route = route;
        this.mimeType = mimeType;
        this.length = length;
        this.body = body;
        this.disconnect = disconnect;
        this.ended = ended;
    }

    @Override
    public SourceRoute route() {
        return route;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The length the source announced, or -1. */
    public long length() {
        return length;
    }

    public InputStream body() {
        return body;
    }

    /** Closes the body after a complete read: the connection may be reused. */
    @Override
    public void close() {
        boolean aborted = false;
        try {
            body.close();
        } catch (IOException e) {
            disconnect.run();
            aborted = true;
        }
        end(aborted);
    }

    /** Drops the connection without reading the rest of the body. */
    public void abort() {
        try {
            disconnect.run();
        } finally {
            end(true);
        }
    }

    private void end(boolean aborted) {
        if (over.compareAndSet(false, true)) {
            ended.ended(aborted);
        }
    }
}
