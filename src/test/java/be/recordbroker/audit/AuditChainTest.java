package be.recordbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AuditChainTest {

    static AuditEvent event(String documentId, String query) {
        return new AuditEvent(7, Instant.parse("2026-11-22T10:00:00Z"), "req", "rest", "12345625004", null,
                "persphysician", "An", "85073003328", "read", documentId, query, "allow", "THERAPEUTIC_LINK", null, null,
                null, null);
    }

    @Test
    void everyFieldAndThePreviousHashCount() {
        String base = AuditChain.hash(AuditChain.GENESIS, event("a", null));
        assertThat(base).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(AuditChain.hash(AuditChain.GENESIS, event("a", null))).isEqualTo(base);
        assertThat(AuditChain.hash("1".repeat(64), event("a", null))).isNotEqualTo(base);
        assertThat(AuditChain.hash(AuditChain.GENESIS, event("b", null))).isNotEqualTo(base);
        assertThat(AuditChain.hash(AuditChain.GENESIS, event("a", ""))).isNotEqualTo(base);
    }

    @Test
    void valuesCannotBeShiftedFromOneFieldToTheNext() {
        // "a\nquery=..." inside one field must not read like two fields: lengths are part of the form
        assertThat(AuditChain.canonical(event("a\nquery=1:b", null)))
                .isNotEqualTo(AuditChain.canonical(event("a", "b")));
        assertThat(AuditChain.hash(AuditChain.GENESIS, event("ab", null)))
                .isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, event("a", "b")));
    }
}
