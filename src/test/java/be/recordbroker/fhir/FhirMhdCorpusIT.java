package be.recordbroker.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;

import be.recordbroker.Corpora;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.conformance.Conformance;
import be.recordbroker.retrieve.RetrievalFixtures;

/**
 * The MHD material of {@code ../shared/corpora/fhir} (NIST asbestos test collections, IPF): every request shape it
 * holds is an ITI-65 Provide Document Bundle, a transaction Bundle POSTed to the base, which is a Document
 * Recipient's transaction, not a Document Responder's (this face): each is refused with an OperationOutcome and a
 * reason code, and nothing is created (no write interaction exists). Skipped where the corpus is absent
 * ({@link Corpora}). Writes the "fhir" section of the conformance report (docs/conformance.md).
 */
class FhirMhdCorpusIT extends SandboxIntegrationTest {

    @Test
    void everyProvideDocumentBundleOfTheCorpusIsRefusedWithAnOperationOutcome() throws Exception {
        Path corpus = Corpora.require("fhir");
        List<Path> bundles;
        try (Stream<Path> files = Files.walk(corpus.resolve("nist-asbestos-mhd"))) {
            bundles = Stream.concat(files.filter(p -> p.getParent().getFileName().toString().equals("Bundle")
                            && p.toString().endsWith(".xml")).sorted().toList().stream(),
                    Stream.of(corpus.resolve("mhd/ipf_ITI-65_comprehensiveProvideDocumentBundleSimple.json"))).toList();
        }
        assertThat(bundles).hasSizeGreaterThan(20);
        String token = token(RetrievalFixtures.GP, "persphysician", "An Verstraeten");
        FhirContext fhir = FhirContext.forR4Cached();
        Map<String, Integer> reasons = new TreeMap<>();
        for (Path bundle : bundles) {
            String type = bundle.toString().endsWith(".json") ? "application/fhir+json" : "application/fhir+xml";
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/fhir"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", type)
                    .header("Accept", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofFile(bundle)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(bundle + " " + answer.body()).isBetween(400, 499);
            OperationOutcome outcome = fhir.newJsonParser().parseResource(OperationOutcome.class, answer.body());
            String reason = FhirFaceIntegrationTest.reason(outcome);
            assertThat(reason).as(bundle.toString()).isNotBlank();
            reasons.merge(answer.statusCode() + " " + reason, 1, Integer::sum);
        }
        StringBuilder md = new StringBuilder("## FHIR R4 / IHE MHD: the FHIR face\n\n")
                .append("Every ITI-65 Provide Document Bundle of the corpus (NIST asbestos MHD collection, IPF)")
                .append(" POSTed to `/fhir` by an authenticated GP (`FhirMhdCorpusIT`). The broker is an MHD")
                .append(" Document Responder (ITI-67/68), not a Recipient: the expected answer to each is a 4xx")
                .append(" OperationOutcome")
                .append(" with a reason code, and nothing created.\n\n- bundles: ").append(bundles.size())
                .append("\n- refused as expected, with an OperationOutcome and a reason: **")
                .append(Conformance.rate(bundles.size(), bundles.size())).append("**\n\n| status reason | bundles |\n")
                .append("|---|---|\n");
        reasons.forEach((r, n) -> md.append("| ").append(r).append(" | ").append(n).append(" |\n"));
        Conformance.section("fhir", md.toString());
    }
}
