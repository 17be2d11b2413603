package be.recordbroker.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.retrieve.RetrievalFixtures;

/**
 * The npm {@code fhir-kit-client} (a FHIR client nobody here wrote, on Node) against the FHIR face: it reads the
 * CapabilityStatement, searches a seed patient's documents and follows the next links to the end, retrieves an
 * attachment, and sees a refusal. Installed from the npm registry into {@code target/fhir-kit-client} at test time.
 */
class FhirKitClientIT extends SandboxIntegrationTest {

    static final String OLIVIA = "78040814421";
    static final String VERSION = "2.0.3";

    @Test
    void fhirKitClientSearchesPagesRetrievesAndIsRefused() throws Exception {
        Path dir = Path.of("target", "fhir-kit-client").toAbsolutePath();
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir.resolve("node_modules/fhir-kit-client"))) {
            run(dir, 300, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir.toString(),
                    "fhir-kit-client@" + VERSION);
        }
        try (InputStream script = getClass().getResourceAsStream("/fhir/fhir-kit-client-check.mjs")) {
            Files.write(dir.resolve("check.mjs"), script.readAllBytes());
        }
        String token = token(RetrievalFixtures.GP, "persphysician", "An Verstraeten");

        ProcessBuilder node = new ProcessBuilder("node", "check.mjs").directory(dir.toFile());
        node.environment().put("FHIR_BASE", base() + "/fhir");
        node.environment().put("TOKEN", token);
        node.environment().put("SSIN_SYSTEM", DocumentReferences.SSIN_SYSTEM);
        node.environment().put("PATIENT", OLIVIA);
        String output = run(node, 120);
        JsonNode seen = json.readTree(output.lines().reduce((a, b) -> b).orElseThrow());

        assertThat(seen.at("/capability/resourceType").asText()).isEqualTo("CapabilityStatement");
        assertThat(seen.at("/capability/instantiates/0").asText()).isEqualTo(FhirServer.MHD_DOCUMENT_RESPONDER);
        JsonNode rest = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/patients/" + OLIVIA
                + "/documents?pageSize=500")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<String> restIds = new ArrayList<>();
        rest.path("documents").forEach(d -> restIds.add(d.path("id").asText()));
        List<String> ids = new ArrayList<>();
        seen.path("ids").forEach(i -> ids.add(i.asText()));
        assertThat(ids).isNotEmpty().containsExactlyElementsOf(restIds);
        assertThat(seen.path("total").asInt()).isEqualTo(restIds.size());
        assertThat(seen.path("pages").asInt()).isEqualTo((restIds.size() + 1) / 2);
        assertThat(seen.at("/document/status").asInt()).isEqualTo(200);
        assertThat(seen.at("/document/bytes").asLong()).isPositive();
        assertThat(seen.at("/refusal/status").asInt()).isEqualTo(400);
        assertThat(seen.at("/refusal/body/resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(seen.at("/refusal/body/issue/0/details/coding/0/code").asText()).isEqualTo("INVALID_PARAMETER");
    }

    private static String run(Path dir, int seconds, String... command) throws Exception {
        return run(new ProcessBuilder(command).directory(dir.toFile()), seconds);
    }

    private static String run(ProcessBuilder builder, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("fhir-kit-client", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertThat(ended && process.exitValue() == 0).as(String.join(" ", builder.command()) + ":\n" + output).isTrue();
        return output;
    }
}
