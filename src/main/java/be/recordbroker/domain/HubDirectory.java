package be.recordbroker.domain;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The set of hubs the broker knows, looked up by code, EHP id or KMEHR source label.
 *
 * <p>Hubs come from configuration only; none is hard-coded here. Codes, EHP ids and source labels
 * must each be unique, because each is used to route a request to exactly one hub. Lookups are
 * exact (case-sensitive): a source label is an identifier, not free text. Immutable.
 */
public final class HubDirectory {

    private final List<Hub> hubs;
    private final Map<String, Hub> byCode;
    private final Map<String, Hub> byEhpId;
    private final Map<String, Hub> bySourceLabel;

    private HubDirectory(List<Hub> hubs) {
        this.hubs = hubs;
        this.byCode = index(hubs, Hub::code, "code");
        this.byEhpId = index(hubs, Hub::ehpId, "EHP id");
        this.bySourceLabel = index(hubs, Hub::sourceLabel, "source label");
    }

    /**
     * Builds a directory, keeping the given order for {@link #all()}.
     *
     * @throws InvalidIdentifierException reason {@code DUPLICATE_HUB} if two hubs share a code,
     *                                    EHP id or source label
     * @throws NullPointerException       if the collection or an element is null
     */
    public static HubDirectory of(Collection<Hub> hubs) {
        Objects.requireNonNull(hubs, "hubs");
        return new HubDirectory(List.copyOf(hubs));
    }

    /** The hub with this code, e.g. {@code rsw}. */
    public Optional<Hub> byCode(String code) {
        return lookup(byCode, code);
    }

    /** The hub with this 10-digit EHP id. */
    public Optional<Hub> byEhpId(String ehpId) {
        return lookup(byEhpId, ehpId);
    }

    /** The hub using this KMEHR transaction source label ({@code SL}). */
    public Optional<Hub> bySourceLabel(String sourceLabel) {
        return lookup(bySourceLabel, sourceLabel);
    }

    /** All hubs, in configuration order. Immutable. */
    public List<Hub> all() {
        return hubs;
    }

    @Override
    public String toString() {
        return "HubDirectory" + hubs.stream().map(Hub::code).toList();
    }

    private static Optional<Hub> lookup(Map<String, Hub> index, String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(index.get(key));
    }

    private static Map<String, Hub> index(List<Hub> hubs, Function<Hub, String> key, String keyName) {
        Map<String, Hub> index = new HashMap<>();
        for (Hub hub : hubs) {
            Hub previous = index.putIfAbsent(key.apply(hub), hub);
            if (previous != null) {
                throw new InvalidIdentifierException(InvalidIdentifierException.DUPLICATE_HUB,
                        "duplicate hub " + keyName + " '" + key.apply(hub) + "' (hubs '" + previous.code()
                                + "' and '" + hub.code() + "')");
            }
        }
        return Map.copyOf(index);
    }
}
