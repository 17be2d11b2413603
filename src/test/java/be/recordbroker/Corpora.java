package be.recordbroker;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Third-party test material (HL7, FHIR) kept beside the project, never in it: {@code ../shared/corpora} from the
 * project directory (system property {@value #PROPERTY}, which pom.xml sets for the integration tests). Only that
 * place is looked at.
 */
public final class Corpora {

    /** System property: the folder holding one folder per corpus (hl7, kmehr, fhir). */
    public static final String PROPERTY = "record-broker.corpora";

    private Corpora() {
    }

    /**
     * The corpus folder {@code name}. Absent: the test is skipped and says where it looked, or fails when
     * {@code RECORD_BROKER_REQUIRE_CORPORA=true}. Not tied to RECORD_BROKER_REQUIRE_TOOLS (which .ci/run sets): the
     * corpora are the team's workspace material, not something the build can install, and a checkout may sit where
     * they are not beside it.
     */
    public static Path require(String name) {
        Path folder = Path.of(System.getProperty(PROPERTY, "../shared/corpora")).resolve(name).toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(folder)) {
            String reason = "no " + name + " corpus at " + folder + " (" + PROPERTY + "; ../shared/corpora beside the"
                    + " project)";
            if ("true".equalsIgnoreCase(System.getenv("RECORD_BROKER_REQUIRE_CORPORA"))) {
                throw new AssertionError(reason + "; RECORD_BROKER_REQUIRE_CORPORA=true");
            }
            Assumptions.abort(reason);
        }
        return folder;
    }
}
