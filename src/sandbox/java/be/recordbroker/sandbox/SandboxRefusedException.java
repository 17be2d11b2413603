package be.recordbroker.sandbox;

import java.util.List;

/** The sandbox may not run as configured (see {@link SandboxGuard}); every reason is listed. */
public class SandboxRefusedException extends RuntimeException {

    private final List<String> problems;

    SandboxRefusedException(List<String> problems) {
        super("the sandbox refuses to start:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
