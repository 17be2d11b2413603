package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md names every {@code record-broker.*} setting the code binds: each key of the metadata the
 * configuration processor writes from the {@code @ConfigurationProperties} classes
 * ({@code META-INF/spring-configuration-metadata.json}) appears in the reference's table — as itself, under a
 * documented parent ({@code parent.*}, {@code parent.<name>}, {@code parent[n]}), or as a sibling listed in the same
 * cell ({@code `record-broker.x.a` / `b`}).
 */
class ConfigurationReferenceTest {

    private static final Pattern KEY = Pattern.compile("`([a-z0-9.\\-\\[\\]<>*]+)`");

    @Test
    void everyBoundSettingIsInTheConfigurationReference() throws Exception {
        // the application's own metadata, not a library's of the same name earlier on the class path
        Path classes = Path.of(be.recordbroker.RecordBrokerApplication.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        JsonNode metadata = new ObjectMapper().readTree(
                classes.resolve("META-INF/spring-configuration-metadata.json").toFile());
        Set<String> documented = documentedKeys(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            if (!name.startsWith("record-broker.")) {
                continue;
            }
            checked++;
            if (!covered(name, documented)) {
                missing.add(name);
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(missing).as("settings docs/configuration.md does not name").isEmpty();
    }

    private static boolean covered(String name, Set<String> documented) {
        if (documented.contains(name)) {
            return true;
        }
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            if (documented.contains(name.substring(0, dot) + ".*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The keys of the table's first column: {@code `a.b.c`}, its siblings named after a slash in the same cell
     * ({@code / `d`} is {@code a.b.d}), and wildcards for {@code .<x>}, {@code [n]} and {@code .*} endings.
     */
    static Set<String> documentedKeys(Path reference) throws IOException {
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(reference, StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `record-broker.")) {
                continue;
            }
            String cell = line.substring(1, line.indexOf('|', 1));
            Matcher m = KEY.matcher(cell);
            String parent = null;
            while (m.find()) {
                String token = m.group(1);
                String key = token.startsWith("record-broker.") ? token : parent == null ? null : parent + "." + token;
                if (key == null) {
                    continue;
                }
                if (token.startsWith("record-broker.")) {
                    // siblings share the parent of the key without its wildcard ending
                    String base = key.replaceAll("(\\.\\*|\\.<[^>]+>)$", "");
                    parent = base.substring(0, base.lastIndexOf('.'));
                }
                if (key.contains("[n]")) {
                    keys.add(key.substring(0, key.indexOf("[n]"))); // a list: its elements' fields are documented
                }
                key = key.replaceAll("\\[n]", ".*").replaceAll("\\.<[^>]+>.*$", ".*");
                keys.add(key);
                keys.add(key.replaceAll("\\.\\*$", "") + ".*");
                keys.add(key.replaceAll("\\.\\*$", ""));
            }
        }
        return keys;
    }
}
