package be.recordbroker.domain;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request to list a patient's documents.
 *
 * @param patient  the patient, required
 * @param types    CD-TRANSACTION values to keep; empty means all types. Null is treated as empty.
 *                 Stored as an immutable sorted set so iteration order (logs, cache keys) is stable.
 * @param from     first clinical date included, nullable
 * @param to       last clinical date included, nullable; not before {@code from}
 * @param scope    local or global search, required
 * @param page     zero-based page index, {@code >= 0}
 * @param pageSize page size, 1 to {@value #MAX_PAGE_SIZE}
 */
public record SearchQuery(Ssin patient, Set<String> types, LocalDate from, LocalDate to, SearchScope scope,
                          int page, int pageSize) {

    /** Largest page a caller may ask for; bounds memory per request. */
    public static final int MAX_PAGE_SIZE = 500;

    /** Validates the fields and copies {@code types}. */
    public SearchQuery {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(scope, "scope");
        TreeSet<String> copy = new TreeSet<>();
        if (types != null) {
            for (String type : types) {
                copy.add(Texts.requireNonBlank(type, "document type"));
            }
        }
        types = Collections.unmodifiableSortedSet(copy);
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
        }
        if (page < 0) {
            throw new IllegalArgumentException("page must be >= 0, got " + page);
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
        }
    }
}
