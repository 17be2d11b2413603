package be.recordbroker.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Profession (CD-HCPARTY) × document type (CD-TRANSACTION) → {@link AccessLevel}, read from a CSV grid: a header
 * {@code profession,<type>,<type>,...} where the column {@code *} stands for every type not named, then one row per
 * profession. A profession that has no row gets {@code none} everywhere. Lines starting with {@code #} are comments.
 * The official matrix is regional and unpublished (docs/domain.md), hence data, not code.
 */
public final class AccessMatrix {

    public static final String ANY_TYPE = "*";

    private final Map<String, Map<String, AccessLevel>> levels;

    private AccessMatrix(Map<String, Map<String, AccessLevel>> levels) {
        this.levels = levels;
    }

    public AccessLevel level(String profession, String transactionType) {
        Map<String, AccessLevel> row = levels.get(key(profession));
        if (row == null) {
            return AccessLevel.NONE;
        }
        AccessLevel level = row.get(key(transactionType));
        return level != null ? level : row.getOrDefault(ANY_TYPE, AccessLevel.NONE);
    }

    /** Parses the grid; a mistake names its line. {@code origin} names the file in messages. */
    public static AccessMatrix parse(Reader csv, String origin) throws IOException {
        Map<String, Map<String, AccessLevel>> levels = new HashMap<>();
        List<String> columns = null;
        BufferedReader lines = new BufferedReader(csv);
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> cells = cells(trimmed);
            if (columns == null) {
                if (!cells.get(0).equalsIgnoreCase("profession") || cells.size() < 2) {
                    throw invalid(origin, number, "the header must be profession,<CD-TRANSACTION>,...");
                }
                columns = cells.subList(1, cells.size()).stream().map(AccessMatrix::key).toList();
                continue;
            }
            if (cells.size() != columns.size() + 1) {
                throw invalid(origin, number, "expected " + (columns.size() + 1) + " cells, found " + cells.size());
            }
            Map<String, AccessLevel> row = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                try {
                    row.put(columns.get(i), AccessLevel.parse(cells.get(i + 1)));
                } catch (IllegalArgumentException e) {
                    throw invalid(origin, number, "column " + columns.get(i) + ": " + e.getMessage());
                }
            }
            if (levels.put(key(cells.get(0)), Map.copyOf(row)) != null) {
                throw invalid(origin, number, "profession " + cells.get(0) + " appears twice");
            }
        }
        if (columns == null) {
            throw invalid(origin, number, "no header line");
        }
        return new AccessMatrix(Map.copyOf(levels));
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.split(",", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static String key(String value) {
        return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException invalid(String origin, int line, String problem) {
        return new IllegalArgumentException("access matrix " + origin + " line " + line + ": " + problem);
    }
}
