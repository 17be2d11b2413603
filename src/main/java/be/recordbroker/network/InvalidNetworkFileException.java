package be.recordbroker.network;

import java.util.List;

/** The network file has mistakes; start-up stops and each one is listed with its file, line and property. */
public class InvalidNetworkFileException extends RuntimeException {

    private final List<String> problems;

    InvalidNetworkFileException(List<String> problems) {
        super("the network file is not valid:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
