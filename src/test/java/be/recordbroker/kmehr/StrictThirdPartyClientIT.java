package be.recordbroker.kmehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.retrieve.RetrievalFixtures;

/**
 * What we send is what we promise (issue 12): a client that another SOAP toolkit — Eclipse Metro, the JAX-WS
 * reference implementation — generates from the broker's served {@code ?wsdl} with {@code wsimport}, run in its own
 * JVM with Metro's {@code SchemaValidationFeature} (every request and answer checked against the schemas the ?wsdl
 * references), calls every operation the face serves against this running sandbox broker: GetTransactionList,
 * GetTransaction (wrapped content inline and as MTOM, a KMEHR source's own message, refusals), GetPatientAuditTrail,
 * and an operation the broker does not offer (a fault). Any answer the strict client refuses fails this test.
 *
 * <p>Metro comes from Maven Central ({@code com.sun.xml.ws:jaxws-ri} zip, unpacked into {@code target/metro} by the
 * build, system property {@code metro.home}). Without it the test is skipped, unless
 * {@code RECORD_BROKER_REQUIRE_TOOLS=true}.
 */
class StrictThirdPartyClientIT extends SandboxIntegrationTest {

    @Test
    void aMetroClientGeneratedFromTheServedWsdlParsesEveryAnswerWithSchemaValidation() throws Exception {
        Path metroLib = metroLib();
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "strict-client-");
        Path generated = Files.createDirectories(work.resolve("classes"));
        Path sources = Files.createDirectories(work.resolve("src"));
        String wsdl = base() + "/services/intrahub/v3?wsdl";
        String classpath = metroLib + File.separator + "*";

        // 1. wsimport (strict: no vendor extensions) on the served WSDL
        Output wsimport = run(work, List.of(java(), "-cp", classpath, "com.sun.tools.ws.WsImport", "-quiet",
                "-encoding", "UTF-8", "-s", sources.toString(), "-d", generated.toString(), wsdl));
        assertThat(wsimport.exit()).as("wsimport:\n" + wsimport.text()).isZero();

        // 2. the third party's own client code, compiled against the generated classes only
        Path client = work.resolve("StrictClient.java");
        try (var in = getClass().getResourceAsStream("/strict-client/StrictClient.java")) {
            Files.copy(in, client, StandardCopyOption.REPLACE_EXISTING);
        }
        Output javac = run(work, List.of(tool("javac"), "-encoding", "UTF-8", "-cp",
                generated + File.pathSeparator + classpath, "-d", generated.toString(), client.toString()));
        assertThat(javac.exit()).as("javac:\n" + javac.text()).isZero();

        // 3. the facts: a patient the GP may see, with a small and a large (MTOM) document; a SUMEHR patient
        RetrievalFixtures fixtures = new RetrievalFixtures(base());
        String patient = fixtures.patientWithGp();
        fixtures.declare(RetrievalFixtures.BRU, patient, "GEN-2000-71", "labresult", null);
        fixtures.declare(RetrievalFixtures.BRU, patient, "GEN-300000-72", "dischargereport", null);
        String sumehrPatient = "12020175988"; // seed: BRU-00001, a SUMEHR served as KMEHR by the Brussels source
        fixtures.link(sumehrPatient, RetrievalFixtures.GP, "gpconsultation");
        String stranger = RetrievalFixtures.freshPatient();

        // 4. every operation, in Metro's JVM, schema validation on
        Output calls = run(work, List.of(java(), "-cp", generated + File.pathSeparator + classpath, "StrictClient",
                wsdl, "sandbox-client", "sandbox-soap-secret", RetrievalFixtures.GP, patient, sumehrPatient, stranger));
        assertThat(calls.exit()).as("strict client:\n" + calls.text()).isZero();
        assertThat(calls.text()).doesNotContain("FAIL")
                .contains("OK GetTransactionList answered 2 transactions")
                .contains("OK GetTransactionList refused")
                .contains("OK GetTransaction KMEHR source")
                .contains("OK GetTransaction refused")
                .contains("OK GetPatientAuditTrail patient")
                .contains("OK GetPatientAuditTrail professional")
                .contains("OK PutPatient fault")
                .contains("DONE failures=0");
        assertThat(calls.text().lines().filter(l -> l.startsWith("OK GetTransaction ")
                && l.contains("transaction(s)")).count()).isEqualTo(3); // two wrapped documents + the SUMEHR
    }

    private static Path metroLib() {
        String home = System.getProperty("metro.home", "target/metro/jaxws-ri");
        Path lib = Path.of(home, "lib");
        boolean present = Files.isRegularFile(lib.resolve("jaxws-rt.jar")) && Files.isRegularFile(lib.resolve("jaxws-tools.jar"));
        if (!present) {
            String message = "Eclipse Metro is not unpacked at " + lib.toAbsolutePath()
                    + " (the build unpacks com.sun.xml.ws:jaxws-ri into target/metro at process-test-resources)";
            if ("true".equalsIgnoreCase(System.getenv("RECORD_BROKER_REQUIRE_TOOLS"))) {
                throw new AssertionError(message + "; RECORD_BROKER_REQUIRE_TOOLS=true");
            }
            Assumptions.abort(message + ": strict third-party client test skipped");
        }
        return lib.toAbsolutePath();
    }

    private static String java() {
        return tool("java");
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    record Output(int exit, String text) {
    }

    private static Output run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "out-", ".txt");
        Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Output(-1, "timed out: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Output(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
