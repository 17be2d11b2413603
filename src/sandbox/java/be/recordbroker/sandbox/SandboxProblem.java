package be.recordbroker.sandbox;

import org.springframework.http.HttpStatus;

/** A sandbox request that cannot be served: answered as application/problem+json with a stable reason code. */
final class SandboxProblem extends RuntimeException {

    private final HttpStatus status;
    private final String reason;

    SandboxProblem(HttpStatus status, String reason, String detail) {
        super(detail);
        this.status = status;
        this.reason = reason;
    }

    HttpStatus status() {
        return status;
    }

    String reason() {
        return reason;
    }
}
