package be.recordbroker.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the missing prod settings as a short start-up report instead of a stack trace. */
class ProdSettingsFailureAnalyzer extends AbstractFailureAnalyzer<ProdSettingsMissingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProdSettingsMissingException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set each one (the environment variable named, or the property) and start again; "
                        + "docs/security/sandbox.md lists the prod settings.",
                cause);
    }
}
