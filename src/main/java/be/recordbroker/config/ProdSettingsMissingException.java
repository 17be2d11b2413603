package be.recordbroker.config;

import java.util.List;

/** The prod profile lacks settings (see {@link ProdSettings}); every one is listed. */
public class ProdSettingsMissingException extends RuntimeException {

    private final List<String> problems;

    ProdSettingsMissingException(List<String> problems) {
        super("the prod profile is missing settings:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
