package be.recordbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void aSaneCallerIdIsKeptAndAnythingElseReplaced() {
        assertThat(RequestIds.of("req-42:a.b_c")).isEqualTo("req-42:a.b_c");
        String replaced = RequestIds.of("<script>");
        assertThat(replaced).isNotEqualTo("<script>");
        assertThat(UUID.fromString(replaced).version()).isEqualTo(4);
        assertThat(RequestIds.of(null)).isNotBlank();
        assertThat(RequestIds.of("x".repeat(65))).hasSize(36);
    }

    @Test
    void newIdsAreVersion4UuidsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.newId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }
}
