package be.recordbroker.access;

/** A fact the gate needs could not be fetched (hub down, timeout, error answer): the gate denies. */
public class FactUnavailableException extends RuntimeException {

    public FactUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
