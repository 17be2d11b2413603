package be.recordbroker.access;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

/**
 * Whether a citizen may act for another (docs/domain.md, R8): a parent for his child while the child is younger than
 * {@code parentMaxAge} (12 by default: from 12 on, only professionals with a therapeutic link see the child's record),
 * a registered mandatary for his mandator while the mandate runs. The facts come from the network
 * ({@link RepresentationFacts}, the metahub); the rules are here. Answers are kept a short time, failures never.
 */
public final class Representatives {

    private record Pair(String representativeSsin, String patientSsin) {
    }

    private final LoadingCache<Pair, List<RepresentationFact>> facts;
    private final int parentMaxAge;
    private final ZoneId zone;
    private final Clock clock;

    public Representatives(RepresentationFacts source, int parentMaxAge, Duration cacheTtl, ZoneId zone, Clock clock) {
        Objects.requireNonNull(source, "source");
        if (parentMaxAge < 0) {
            throw new IllegalArgumentException("parent-max-age must not be negative");
        }
        this.facts = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000)
                .build(k -> List.copyOf(source.representations(k.representativeSsin(), k.patientSsin())));
        this.parentMaxAge = parentMaxAge;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Nobody represents anybody. */
    public static Representatives none(ZoneId zone) {
        return new Representatives(RepresentationFacts.none(), 12, Duration.ofSeconds(1), zone, Clock.system(zone));
    }

    /**
     * The decision for a citizen asking for somebody else's data on {@code day}: {@code REPRESENTATIVE} when a
     * registration holds, {@code NOT_A_REPRESENTATIVE} when one exists but does not hold (the child is too old, the
     * mandate ended or was revoked), empty when the two are not related at all (the gate then says
     * {@code NOT_THE_PATIENT}).
     *
     * @throws FactUnavailableException when the metahub cannot be asked
     */
    public Optional<AccessReason> decide(String representativeSsin, String patientSsin, LocalDate day) {
        List<RepresentationFact> registered = facts.get(new Pair(representativeSsin, patientSsin));
        if (registered.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(registered.stream().anyMatch(f -> holds(f, day))
                ? AccessReason.REPRESENTATIVE : AccessReason.NOT_A_REPRESENTATIVE);
    }

    /**
     * Whether {@code representativeSsin} may act for {@code patientSsin} today (read his documents and his audit
     * trail). False, never an exception, when the metahub cannot be asked.
     */
    public boolean mayActFor(String representativeSsin, String patientSsin) {
        try {
            return decide(representativeSsin, patientSsin, LocalDate.now(clock.withZone(zone)))
                    .filter(r -> r == AccessReason.REPRESENTATIVE).isPresent();
        } catch (FactUnavailableException e) {
            return false;
        }
    }

    /** Drops every cached representation where this citizen is the patient or the representative. */
    public void forgetPatient(String ssin) {
        facts.asMap().keySet().removeIf(k -> k.patientSsin().equals(ssin) || k.representativeSsin().equals(ssin));
    }

    /** The configured age from which a parent no longer acts for his child. */
    public int parentMaxAge() {
        return parentMaxAge;
    }

    private boolean holds(RepresentationFact fact, LocalDate day) {
        if (!fact.activeOn(day)) {
            return false;
        }
        if (fact.kind() == RepresentationFact.Kind.PARENT) {
            // without a birth date the age cannot be checked: refuse rather than guess
            return fact.patientBirthDate() != null && !fact.patientBirthDate().isAfter(day)
                    && Period.between(fact.patientBirthDate(), day).getYears() < parentMaxAge;
        }
        return true;
    }
}
