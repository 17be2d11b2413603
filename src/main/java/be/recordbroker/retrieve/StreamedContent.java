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

    public StreamedContent(SourceRoute route, String mimeType, long length, InputStream body, Runnable disconnect) {
        this.route = route;
        this.mimeType = mimeType;
        this.length = length;
        this.body = body;
        this.disconnect = disconnect;
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
        try {
            body.close();
        } catch (IOException e) {
            disconnect.run();
        }
    }

    /** Drops the connection without reading the rest of the body. */
    public void abort() {
        disconnect.run();
    }
}
