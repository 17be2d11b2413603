package be.recordbroker.sandbox;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the sandbox guard's refusal as a short start-up report instead of a stack trace. */
class SandboxRefusedFailureAnalyzer extends AbstractFailureAnalyzer<SandboxRefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SandboxRefusedException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Run the sandbox alone (no 'prod' profile) and on loopback: server.address, management.server.address "
                        + "and record-broker.mllp.bind-address = 127.0.0.1 (config/application-sandbox.yaml). "
                        + "A production broker runs the packaged jar, which holds no sandbox.",
                cause);
    }
}
