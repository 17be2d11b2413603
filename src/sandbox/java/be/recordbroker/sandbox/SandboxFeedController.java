package be.recordbroker.sandbox;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /sandbox/hospitals/{facilityId}/feed}: the hospital sends its sample HL7 feed to the broker over MLLP. */
@RestController
@Profile("sandbox")
class SandboxFeedController {

    private final SandboxNetwork network;
    private final SandboxFeedSender sender;

    SandboxFeedController(SandboxNetwork network, SandboxFeedSender sender) {
        this.network = network;
        this.sender = sender;
    }

    @PostMapping(path = "/sandbox/hospitals/{facilityId}/feed", produces = "application/json")
    SandboxFeedSender.Report send(@PathVariable String facilityId) {
        if (network.hospital(facilityId) == null) {
            throw new SandboxProblem(HttpStatus.NOT_FOUND, "UNKNOWN_HOSPITAL", "no sandbox hospital '" + facilityId + "'");
        }
        try {
            return sender.send(network, facilityId);
        } catch (SandboxFeedSender.Unreachable e) {
            throw new SandboxProblem(HttpStatus.BAD_GATEWAY, "MLLP_UNREACHABLE", e.getMessage());
        }
    }
}
