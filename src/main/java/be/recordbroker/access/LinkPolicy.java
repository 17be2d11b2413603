package be.recordbroker.access;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which therapeutic link types count for which professions, and for how long a link of each type lasts at most
 * after its start when the hub gives no earlier end (GP and pharmacist 15 months, occasional contact 3 months,
 * emergency 1 month: network FAQs, not an official source, hence configuration).
 */
public final class LinkPolicy {

    /** One link type: the professions it serves and its longest life. */
    public record LinkType(Period maxDuration, Set<String> professions) {
        public LinkType {
            Objects.requireNonNull(maxDuration, "maxDuration");
            professions = professions.stream().map(p -> p.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    private final Map<String, LinkType> types;

    public LinkPolicy(Map<String, LinkType> types) {
        this.types = Map.copyOf(types);
    }

    /** A link that serves this profession and is active on this day, if any among {@code links}. */
    public java.util.Optional<TherapeuticLinkFact> activeFor(String profession, List<TherapeuticLinkFact> links,
                                                            LocalDate day) {
        String who = profession.toLowerCase(Locale.ROOT);
        return links.stream()
                .filter(link -> {
                    LinkType type = types.get(link.type().toLowerCase(Locale.ROOT));
                    return type != null && type.professions().contains(who) && active(link, type, day);
                })
                .findFirst();
    }

    private static boolean active(TherapeuticLinkFact link, LinkType type, LocalDate day) {
        LocalDate lastDay = link.startDate().plus(type.maxDuration());
        if (link.endDate() != null && link.endDate().isBefore(lastDay)) {
            lastDay = link.endDate();
        }
        return !link.startDate().isAfter(day) && !day.isAfter(lastDay);
    }
}
