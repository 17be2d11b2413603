package be.recordbroker.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.InvalidIdentifierException;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Ssin;
import be.recordbroker.network.Network;
import be.recordbroker.sandbox.SandboxSeed.SeedDocument;
import be.recordbroker.sandbox.SandboxSeed.SeedHospital;
import be.recordbroker.sandbox.SandboxSeed.SeedPatient;
import be.recordbroker.sandbox.SandboxSeed.SeedProfessional;
import be.recordbroker.sandbox.SandboxWorld.Consent;
import be.recordbroker.sandbox.SandboxWorld.Exclusion;
import be.recordbroker.sandbox.SandboxWorld.Status;
import be.recordbroker.sandbox.SandboxWorld.StoredDocument;
import be.recordbroker.sandbox.SandboxWorld.TherapeuticLink;

/**
 * The simulated network, built once from the seed: which hubs the sandbox serves (every hub of the network file whose
 * URL is a path on this server), the live {@link SandboxWorld} and the hospitals' {@link SandboxSources}. A seed entry
 * that names an unknown person, hub or hospital, or carries an invalid SSIN or NIHII, stops start-up with its name.
 */
public final class SandboxNetwork {

    private final SandboxSeed seed;
    private final Map<String, Hub> hubs;
    private final Map<String, SeedHospital> hospitals;
    private final Map<String, SeedProfessional> professionals;
    private final SandboxWorld world = new SandboxWorld();
    private final SandboxSources sources = new SandboxSources();
    private final Map<String, StoredDocument> seededDocuments = new LinkedHashMap<>();

    public SandboxNetwork(SandboxSeed seed, Network network) {
        this.seed = seed;
        this.hubs = network.hubEndpoints().stream()
                .filter(e -> e.intraHub().url().startsWith("/"))
                .collect(Collectors.toMap(e -> e.hub().code(), e -> e.hub(), (a, b) -> a, LinkedHashMap::new));
        this.hospitals = index(seed.hospitals(), SeedHospital::facilityId);
        this.professionals = index(seed.professionals(), SeedProfessional::nihii);
        validateAndLoad();
    }

    private void validateAndLoad() {
        for (SeedHospital h : seed.hospitals()) {
            nihii(h.nihii(), "hospital " + h.facilityId());
            hub(h.hub(), "hospital " + h.facilityId());
        }
        for (SeedProfessional p : seed.professionals()) {
            nihii(p.nihii(), "professional " + p.nihii());
            ssin(p.ssin(), "professional " + p.nihii());
        }
        Map<String, SeedPatient> patients = new LinkedHashMap<>();
        for (SeedPatient p : seed.patients()) {
            ssin(p.ssin(), "a patient");
            patients.put(p.ssin(), p);
            p.hubs().forEach(code -> {
                hub(code, "a patient");
                world.linkPatientToHub(p.ssin(), code);
            });
            if (p.consent() != null) {
                world.putConsent(new Consent(p.ssin(), p.consent().type(), p.consent().signDate(), p.consent().revokeDate()));
            }
        }
        for (SandboxSeed.SeedLink l : seed.therapeuticLinks()) {
            SeedPatient patient = require(patients, l.patient(), "therapeutic link: unknown patient");
            require(professionals, l.professional(), "therapeutic link: unknown professional");
            world.putLink(new TherapeuticLink(patient.hubs().get(0), l.patient(), l.professional(), l.type(),
                    l.startDate(), l.endDate()));
        }
        for (SandboxSeed.SeedExclusion e : seed.exclusions()) {
            require(patients, e.patient(), "exclusion: unknown patient");
            require(professionals, e.professional(), "exclusion: unknown professional");
            world.putExclusion(new Exclusion(e.patient(), e.professional()));
        }
        for (SandboxSeed.SeedRepresentation r : seed.representations() == null ? List.<SandboxSeed.SeedRepresentation>of()
                : seed.representations()) {
            ssin(r.representative(), "representation: representative");
            require(patients, r.patient(), "representation: unknown patient");
            if (!"parent".equals(r.kind()) && !"mandatary".equals(r.kind())) {
                throw new IllegalStateException("sandbox seed: representation kind must be parent or mandatary");
            }
        }
        for (SeedDocument d : seed.documents()) {
            String what = "document " + d.localId();
            Hub hub = hub(d.hub(), what);
            SeedPatient patient = require(patients, d.patient(), what + ": unknown patient");
            SeedProfessional author = require(professionals, d.author(), what + ": unknown author");
            SeedHospital hospital = require(hospitals, d.hospital(), what + ": unknown hospital");
            SandboxSources.HeldDocument content = sources.create(d, patient, author, hospital, hub);
            StoredDocument stored = new StoredDocument(hub.code(), d.localId(), hub.sourceLabel(), d.patient(), d.type(),
                    d.title(), d.dateTime(), author.nihii(), author.name(), author.profession(), hospital.facilityId(),
                    content.mimeType(), content.size(), SandboxWorld.sha256(content.bytes()), Status.AVAILABLE, null);
            world.putDocument(stored);
            seededDocuments.put(hub.code() + "/" + d.localId(), stored);
        }
    }

    public SandboxSeed seed() {
        return seed;
    }

    public SandboxWorld world() {
        return world;
    }

    public SandboxSources sources() {
        return sources;
    }

    /** The hubs the sandbox serves, by code. */
    public Map<String, Hub> hubs() {
        return hubs;
    }

    public SeedHospital hospital(String facilityId) {
        return hospitals.get(facilityId);
    }

    public Map<String, SeedHospital> hospitals() {
        return hospitals;
    }

    public SeedProfessional professional(String nihii) {
        return professionals.get(nihii);
    }

    /** The documents as seeded, with the document id the broker will use for each. */
    public List<StoredDocument> seededDocuments() {
        return List.copyOf(seededDocuments.values());
    }

    /** The document's id (to hand out, seal it: {@code DocumentIdCodec#encode}). */
    public DocumentId documentId(StoredDocument d) {
        return new DocumentId(hubs.get(d.hub()).ehpId(), d.patient(), d.sourceLabel(), d.localId());
    }

    private Hub hub(String code, String what) {
        Hub hub = hubs.get(code);
        if (hub == null) {
            throw new IllegalStateException("sandbox seed: " + what + " names hub '" + code
                    + "', which is not a sandbox hub of the network file " + hubs.keySet());
        }
        return hub;
    }

    private static void ssin(String value, String what) {
        try {
            Ssin.parse(value);
        } catch (InvalidIdentifierException e) {
            throw new IllegalStateException("sandbox seed: " + what + " has an invalid SSIN: " + e.getMessage(), e);
        }
    }

    private static void nihii(String value, String what) {
        try {
            Nihii.parse(value, NihiiValidation.STRICT);
        } catch (InvalidIdentifierException e) {
            throw new IllegalStateException("sandbox seed: " + what + " has an invalid NIHII: " + e.getMessage(), e);
        }
    }

    private static <T> T require(Map<String, T> map, String key, String message) {
        T value = map.get(key);
        if (value == null) {
            throw new IllegalStateException("sandbox seed: " + message + " " + key);
        }
        return value;
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(i -> map.put(key.apply(i), i));
        return map;
    }
}
