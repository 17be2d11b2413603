package be.recordbroker.kmehr;

/**
 * A hub call that did not succeed. {@link #permanent()} tells whether trying again can help: a hub that answered with
 * an error acknowledgement rejected the request itself (permanent); a timeout, a refused connection, an HTTP 5xx or a
 * SOAP server fault is transient.
 */
public class HubCallException extends RuntimeException {

    private final String hub;
    private final boolean permanent;

    public HubCallException(String hub, boolean permanent, String message, Throwable cause) {
        super(message, cause);
        this.hub = hub;
        this.permanent = permanent;
    }

    public String hub() {
        return hub;
    }

    public boolean permanent() {
        return permanent;
    }
}
