package be.recordbroker.sandbox;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox hospitals' REST document sources: the original source a retrieve streams from. Bytes are written in
 * 64 KB chunks straight to the response with the exact Content-Length, so a 1 GB generated document costs no memory.
 */
@RestController
@Profile("sandbox")
class SandboxDocumentSourceController {

    private final SandboxNetwork network;

    SandboxDocumentSourceController(SandboxNetwork network) {
        this.network = network;
    }

    @GetMapping("/sandbox/hospitals/{facilityId}/documents/{localId}")
    void document(@PathVariable String facilityId, @PathVariable String localId, HttpServletResponse response)
            throws IOException {
        SandboxSeed.SeedHospital hospital = network.hospital(facilityId);
        if (hospital == null || !"rest".equals(hospital.source())) {
            throw new SandboxProblem(HttpStatus.NOT_FOUND, "UNKNOWN_SOURCE",
                    "no REST document source for hospital '" + facilityId + "'");
        }
        SandboxSources.SourceDocument document = network.sources().find(facilityId, localId)
                .orElseThrow(() -> new SandboxProblem(HttpStatus.NOT_FOUND, "UNKNOWN_DOCUMENT",
                        "hospital " + facilityId + " holds no document '" + localId + "'"));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(document.mimeType());
        response.setContentLengthLong(document.size());
        response.setHeader("Cache-Control", "no-store");
        document.writeTo(response.getOutputStream());
        response.flushBuffer();
    }
}
