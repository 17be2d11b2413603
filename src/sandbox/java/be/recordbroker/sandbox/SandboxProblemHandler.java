package be.recordbroker.sandbox;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns sandbox request errors into application/problem+json with a {@code reason}, never a stack trace. */
@RestControllerAdvice(basePackageClasses = SandboxProblemHandler.class)
class SandboxProblemHandler {

    @ExceptionHandler(SandboxProblem.class)
    ProblemDetail problem(SandboxProblem e) {
        return detail(e.status(), e.reason(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return detail(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "the request body is not valid JSON for this operation");
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalid(IllegalArgumentException e) {
        return detail(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", e.getMessage());
    }

    private static ProblemDetail detail(HttpStatus status, String reason, String text) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, text);
        problem.setType(URI.create("urn:record-broker:problem:" + reason.toLowerCase().replace('_', '-')));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("reason", reason);
        return problem;
    }
}
