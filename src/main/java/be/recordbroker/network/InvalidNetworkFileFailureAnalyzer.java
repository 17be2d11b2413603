package be.recordbroker.network;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a bad network file as a short start-up report instead of a stack trace. */
class InvalidNetworkFileFailureAnalyzer extends AbstractFailureAnalyzer<InvalidNetworkFileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidNetworkFileException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the network file (config/network.yaml, or the file named by RECORD_BROKER_NETWORK_FILE).",
                cause);
    }
}
