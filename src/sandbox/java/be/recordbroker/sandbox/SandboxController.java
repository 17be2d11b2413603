package be.recordbroker.sandbox;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import be.recordbroker.domain.InvalidIdentifierException;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Ssin;
import be.recordbroker.sandbox.SandboxSeed.SeedPatient;
import be.recordbroker.sandbox.SandboxWorld.StoredDocument;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The sandbox's own REST knobs: the seed, the hubs' fault knobs, demo tokens and their key set. */
@RestController
@Profile("sandbox")
class SandboxController {

    record FaultsRequest(Long latencyMs, Double errorRate, Boolean down, Boolean rejectsDeclarations) {
    }

    record TokenRequest(String nihii, String ssin, String profession, String name) {
    }

    private final SandboxNetwork network;
    private final SandboxFaults faults;
    private final SandboxTokens tokens;
    private final Clock clock;

    private final be.recordbroker.domain.DocumentIdCodec documentIds;

    SandboxController(SandboxNetwork network, SandboxFaults faults, SandboxTokens tokens, Clock clock,
                      be.recordbroker.domain.DocumentIdCodec documentIds) {
        this.documentIds = documentIds;
        this.network = network;
        this.faults = faults;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The seed as JSON: patients (with consent, links, exclusions, hubs), professionals, hospitals, documents. */
    @GetMapping(path = "/sandbox/seed", produces = "application/json")
    Map<String, Object> seed() {
        SandboxWorld world = network.world();
        LocalDate today = LocalDate.now(clock);
        List<Map<String, Object>> patients = network.seed().patients().stream().map(p -> patient(p, world, today)).toList();
        List<Map<String, Object>> documents = network.seededDocuments().stream().map(this::document).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hubs", network.hubs().values().stream().map(h -> Map.of("code", h.code(), "ehpId", h.ehpId(),
                "sourceLabel", h.sourceLabel(), "name", h.name(), "intrahub", "/sandbox/hubs/" + h.code() + "/intrahub/v3"))
                .toList());
        body.put("hospitals", network.seed().hospitals());
        body.put("professionals", network.seed().professionals());
        body.put("patients", patients);
        body.put("documents", documents);
        return body;
    }

    private Map<String, Object> patient(SeedPatient p, SandboxWorld world, LocalDate today) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ssin", p.ssin());
        view.put("firstName", p.firstName());
        view.put("lastName", p.lastName());
        view.put("birthDate", p.birthDate());
        view.put("sex", p.sex());
        view.put("hubs", p.hubs());
        world.consent(p.ssin()).ifPresentOrElse(c -> {
            Map<String, Object> consent = new LinkedHashMap<>();
            consent.put("type", c.type());
            consent.put("signDate", c.signDate());
            if (c.revokeDate() != null) {
                consent.put("revokeDate", c.revokeDate());
            }
            consent.put("active", c.activeOn(today));
            view.put("consent", consent);
        }, () -> view.put("consent", null));
        view.put("therapeuticLinks", world.links(l -> l.patient().equals(p.ssin())).stream().map(l -> {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("professional", l.professionalNihii());
            link.put("type", l.type());
            link.put("startDate", l.startDate());
            link.put("endDate", l.endDate());
            link.put("active", l.endDate() == null || l.endDate().isAfter(today));
            return link;
        }).toList());
        view.put("exclusions", world.exclusions(p.ssin()).stream().map(e -> Map.of("professional", e.professionalNihii()))
                .toList());
        return view;
    }

    private Map<String, Object> document(StoredDocument d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", documentIds.encode(network.documentId(d)));
        view.put("hub", d.hub());
        view.put("localId", d.localId());
        view.put("sourceLabel", d.sourceLabel());
        view.put("hospital", d.hospital());
        view.put("patient", d.patient());
        view.put("type", d.type());
        view.put("title", d.title());
        view.put("dateTime", d.dateTime());
        view.put("author", d.authorNihii());
        view.put("mimeType", d.mimeType());
        view.put("size", d.size());
        view.put("sha256", d.sha256());
        return view;
    }

    @PutMapping(path = "/sandbox/hubs/{code}/faults", produces = "application/json")
    SandboxFaults.Faults setFaults(@PathVariable String code, @RequestBody FaultsRequest request) {
        if (!network.hubs().containsKey(code)) {
            throw new SandboxProblem(HttpStatus.NOT_FOUND, "UNKNOWN_HUB", "no sandbox hub '" + code + "'");
        }
        SandboxFaults.Faults f = new SandboxFaults.Faults(
                request.latencyMs() == null ? 0 : request.latencyMs(),
                request.errorRate() == null ? 0.0 : request.errorRate(),
                Boolean.TRUE.equals(request.down()), Boolean.TRUE.equals(request.rejectsDeclarations()));
        faults.set(code, f);
        return f;
    }

    /** The metahub's fault knobs (same shape as a hub's; not under /sandbox/metahub, which is its SOAP servlet). */
    @PutMapping(path = "/sandbox/faults/metahub", produces = "application/json")
    SandboxFaults.Faults setMetahubFaults(@RequestBody FaultsRequest request) {
        SandboxFaults.Faults f = new SandboxFaults.Faults(
                request.latencyMs() == null ? 0 : request.latencyMs(),
                request.errorRate() == null ? 0.0 : request.errorRate(),
                Boolean.TRUE.equals(request.down()));
        faults.set(SandboxFaults.METAHUB, f);
        return f;
    }

    @GetMapping(path = "/sandbox/hubs/{code}/faults", produces = "application/json")
    SandboxFaults.Faults getFaults(@PathVariable String code) {
        if (!network.hubs().containsKey(code)) {
            throw new SandboxProblem(HttpStatus.NOT_FOUND, "UNKNOWN_HUB", "no sandbox hub '" + code + "'");
        }
        return faults.of(code);
    }

    /** A demo identity: a professional (nihii + profession) or a citizen (profession "patient" + ssin). */
    @PostMapping(path = "/sandbox/token", produces = "application/json")
    Map<String, String> token(@RequestBody TokenRequest request) {
        if (request.profession() == null || !request.profession().matches("[a-z]{2,40}")) {
            throw new SandboxProblem(HttpStatus.BAD_REQUEST, "INVALID_REQUEST",
                    "profession must be a CD-HCPARTY value such as persphysician, or 'patient'");
        }
        boolean patient = "patient".equals(request.profession());
        Map<String, String> claims = new LinkedHashMap<>();
        try {
            if (request.ssin() != null) {
                claims.put("ssin", Ssin.parse(request.ssin()).value());
            } else if (patient) {
                throw new SandboxProblem(HttpStatus.BAD_REQUEST, "INVALID_SSIN", "a patient token needs the patient's ssin");
            }
            if (request.nihii() != null) {
                claims.put("nihii", Nihii.parse(request.nihii(), NihiiValidation.LENIENT).value());
            } else if (!patient) {
                throw new SandboxProblem(HttpStatus.BAD_REQUEST, "INVALID_NIHII", "a professional token needs a nihii");
            }
        } catch (InvalidIdentifierException e) {
            throw new SandboxProblem(HttpStatus.BAD_REQUEST, e.reason(), e.getMessage());
        }
        claims.put("profession", request.profession());
        if (request.name() != null) {
            claims.put("name", request.name());
        }
        return Map.of("token", tokens.issue(claims));
    }

    @GetMapping(path = "/sandbox/jwks.json", produces = "application/json")
    Map<String, Object> jwks() {
        return tokens.publicKeys().toJSONObject();
    }
}
