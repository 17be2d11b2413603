package be.recordbroker.sandbox;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The live state of the simulated Belgian network, seeded from {@link SandboxSeed} and changed by the hubs' and the
 * metahub's write operations. Consent is national (one registry for every hub, as in Belgium); therapeutic links are
 * kept in one registry too, each remembering the hub it was registered at. Thread-safe.
 */
public final class SandboxWorld {

    public record Consent(String patient, String type, LocalDate signDate, LocalDate revokeDate) {
        boolean activeOn(LocalDate day) {
            return !signDate.isAfter(day) && (revokeDate == null || revokeDate.isAfter(day));
        }
    }

    public record TherapeuticLink(String hub, String patient, String professionalNihii, String type, LocalDate startDate,
                                  LocalDate endDate) {
    }

    public record Exclusion(String patient, String professionalNihii) {
    }

    public enum Status { AVAILABLE, REVOKED }

    /** A transaction a hub knows: declared by reference (no content), or put with its KMEHR ({@code kmehrXml}). */
    public record StoredDocument(String hub, String localId, String sourceLabel, String patient, String type, String title,
                                 OffsetDateTime dateTime, String authorNihii, String authorName, String authorProfession,
                                 String hospital, String mimeType, Long size, String sha256, Status status,
                                 String kmehrXml) {
        StoredDocument withStatus(Status newStatus) {
            return new StoredDocument(hub, localId, sourceLabel, patient, type, title, dateTime, authorNihii, authorName,
                    authorProfession, hospital, mimeType, size, sha256, newStatus, kmehrXml);
        }
    }

    public record AccessRight(String hub, String localId, String professionalNihii, String right) {
    }

    public record AuditEntry(String hub, String patient, String localId, String type, String professionalNihii,
                             String profession, Instant at, String breakTheGlass) {
    }

    private final Map<String, Consent> consents = new ConcurrentHashMap<>();
    private final List<TherapeuticLink> links = new CopyOnWriteArrayList<>();
    private final Set<Exclusion> exclusions = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> hubsByPatient = new ConcurrentHashMap<>();
    private final Map<String, Map<String, StoredDocument>> documentsByHub = new ConcurrentHashMap<>();
    private final List<AccessRight> accessRights = new CopyOnWriteArrayList<>();
    /** Per hub, oldest first, the last {@link #AUDIT_KEPT_PER_HUB} entries. */
    private final Map<String, Deque<AuditEntry>> auditByHub = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> patients = new ConcurrentHashMap<>();
    private BufferedWriter declarationLog;

    // --- declaration log (tests that kill the broker: the world itself is lost with the process) ---

    /**
     * Appends one line per accepted DeclareTransaction ({@code hub<TAB>localId}) and RevokeTransaction
     * ({@code hub<TAB>localId<TAB>revoked}) to {@code file}, flushed per line, so
     * what the hubs received survives a killed process ({@code record-broker.sandbox.declaration-log}).
     */
    public synchronized void logDeclarationsTo(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            declarationLog = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("record-broker.sandbox.declaration-log: cannot open " + file, e);
        }
    }

    /** Called by a hub for each DeclareTransaction it accepted. */
    synchronized void declared(String hub, String localId) {
        logLine(hub + "\t" + localId);
    }

    /**
     * Called by a hub for each RevokeTransaction it accepted: {@code hub<TAB>localId<TAB>revoked}, in the same file and
     * order as the declarations, so a test sees in which order a patient's messages reached the hub.
     */
    synchronized void revoked(String hub, String localId) {
        logLine(hub + "\t" + localId + "\trevoked");
    }

    private void logLine(String line) {
        if (declarationLog == null) {
            return;
        }
        try {
            declarationLog.write(line + "\n");
            declarationLog.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox declaration log", e);
        }
    }

    // --- consent (national) ---

    public Optional<Consent> consent(String patient) {
        return Optional.ofNullable(consents.get(patient));
    }

    public void putConsent(Consent consent) {
        consents.put(consent.patient(), consent);
    }

    /** Revokes on {@code day}; returns false when the patient had no consent. */
    public boolean revokeConsent(String patient, LocalDate day) {
        return consents.computeIfPresent(patient,
                (p, c) -> new Consent(p, c.type(), c.signDate(), day)) != null;
    }

    // --- therapeutic links ---

    public List<TherapeuticLink> links(Predicate<TherapeuticLink> filter) {
        return links.stream().filter(filter).toList();
    }

    public void putLink(TherapeuticLink link) {
        links.removeIf(l -> l.patient().equals(link.patient()) && l.professionalNihii().equals(link.professionalNihii())
                && l.type().equals(link.type()));
        links.add(link);
    }

    /** Ends matching links today (a revoked link stops access at once); returns how many were ended. */
    public int revokeLink(String patient, String professionalNihii, String type, LocalDate day) {
        List<TherapeuticLink> ended = new ArrayList<>();
        for (TherapeuticLink l : links) {
            if (l.patient().equals(patient) && l.professionalNihii().equals(professionalNihii)
                    && (type == null || l.type().equals(type))
                    && (l.endDate() == null || l.endDate().isAfter(day))) {
                ended.add(l);
            }
        }
        for (TherapeuticLink l : ended) {
            links.remove(l);
            links.add(new TherapeuticLink(l.hub(), l.patient(), l.professionalNihii(), l.type(), l.startDate(), day));
        }
        return ended.size();
    }

    // --- metahub: exclusions and patient <-> hub links ---

    public boolean isExcluded(String patient, String professionalNihii) {
        return exclusions.contains(new Exclusion(patient, professionalNihii));
    }

    public List<Exclusion> exclusions(String patient) {
        return exclusions.stream().filter(e -> e.patient().equals(patient)).toList();
    }

    public void putExclusion(Exclusion exclusion) {
        exclusions.add(exclusion);
    }

    public boolean revokeExclusion(Exclusion exclusion) {
        return exclusions.remove(exclusion);
    }

    public Set<String> hubsOf(String patient) {
        return Set.copyOf(hubsByPatient.getOrDefault(patient, Set.of()));
    }

    public void linkPatientToHub(String patient, String hub) {
        hubsByPatient.computeIfAbsent(patient, p -> ConcurrentHashMap.newKeySet()).add(hub);
    }

    // --- patients registered at hubs (PutPatient) ---

    public void putPatient(String hub, String ssin, Map<String, Object> details) {
        patients.put(hub + "/" + ssin, Map.copyOf(details));
        linkPatientToHub(ssin, hub);
    }

    public Optional<Map<String, Object>> patient(String hub, String ssin) {
        return Optional.ofNullable(patients.get(hub + "/" + ssin));
    }

    // --- documents (transactions) per hub ---

    public void putDocument(StoredDocument document) {
        documentsByHub.computeIfAbsent(document.hub(), h -> new ConcurrentHashMap<>()).put(document.localId(), document);
        linkPatientToHub(document.patient(), document.hub());
    }

    public Optional<StoredDocument> document(String hub, String localId) {
        return Optional.ofNullable(documentsByHub.getOrDefault(hub, Map.of()).get(localId));
    }

    public List<StoredDocument> documents(String hub, Predicate<StoredDocument> filter) {
        return documentsByHub.getOrDefault(hub, Map.of()).values().stream().filter(filter).toList();
    }

    public boolean revokeDocument(String hub, String localId) {
        Map<String, StoredDocument> docs = documentsByHub.getOrDefault(hub, Map.of());
        return docs.computeIfPresent(localId, (id, d) -> d.withStatus(Status.REVOKED)) != null;
    }

    // --- access rights (R5) ---

    public void putAccessRight(AccessRight right) {
        accessRights.removeIf(r -> r.hub().equals(right.hub()) && r.localId().equals(right.localId())
                && r.professionalNihii().equals(right.professionalNihii()));
        accessRights.add(right);
    }

    public List<AccessRight> accessRights(String hub, String localId) {
        return accessRights.stream().filter(r -> r.hub().equals(hub) && r.localId().equals(localId)).toList();
    }

    /** Removes the rights on a transaction, for one professional or (when null) all; returns how many. */
    public int revokeAccessRight(String hub, String localId, String professionalNihii) {
        List<AccessRight> gone = accessRights.stream().filter(r -> r.hub().equals(hub) && r.localId().equals(localId)
                && (professionalNihii == null || r.professionalNihii().equals(professionalNihii))).toList();
        accessRights.removeAll(gone);
        return gone.size();
    }

    // --- audit trail of the hubs ---

    /**
     * How many audit entries each sandbox hub keeps (the oldest go first). The trail was a copy-on-write list that
     * grew with every hub call: under the search benchmark (~1,500 hub calls/s) each call copied the whole list, and
     * the figures fell the longer a run lasted. With 10,000 the entries lived ~20 s there, long enough to be copied
     * through every survivor age at each young collection of the JVM they share with the broker (a third of the
     * collection's copying); 1,000 die young and are still more than a demo or a test reads back.
     */
    public static final int AUDIT_KEPT_PER_HUB = 1_000;

    public void audit(AuditEntry entry) {
        Deque<AuditEntry> trail = auditByHub.computeIfAbsent(entry.hub(), h -> new ArrayDeque<>());
        synchronized (trail) {
            if (trail.size() == AUDIT_KEPT_PER_HUB) {
                trail.removeFirst();
            }
            trail.addLast(entry);
        }
    }

    public List<AuditEntry> auditTrail(String hub, Predicate<AuditEntry> filter) {
        Deque<AuditEntry> trail = auditByHub.get(hub);
        if (trail == null) {
            return List.of();
        }
        synchronized (trail) {
            return trail.stream().filter(filter).toList();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
