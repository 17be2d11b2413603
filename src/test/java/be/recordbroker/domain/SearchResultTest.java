package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchResultTest {

    private static final Ssin PATIENT = Ssin.parse("85073003328");
    private static final Ssin OTHER_PATIENT = Ssin.parse("93051822361");

    static DocumentEntry document(Ssin patient, String localId) {
        return new DocumentEntry(new DocumentId("1990000035", patient.value(), "RSWID", localId), patient, "sumehr", "Sumehr",
                OffsetDateTime.of(2024, 3, 1, 10, 0, 0, 0, ZoneOffset.ofHours(1)), null, null, null,
                "text/xml", null, null, DocumentStatus.AVAILABLE);
    }

    private static HubOutcome ok(String hub) {
        return new HubOutcome(hub, HubStatus.OK, null, 12);
    }

    @Test
    void completeWhenEveryHubAnswered() {
        SearchResult result = new SearchResult(PATIENT, List.of(document(PATIENT, "1")), List.of(ok("rsw"), ok("rsb")));
        assertThat(result.complete()).isTrue();
    }

    @Test
    void skippedHubsDoNotMakeTheResultIncomplete() {
        SearchResult result = new SearchResult(PATIENT, List.of(),
                List.of(ok("rsw"), new HubOutcome("vitalink", HubStatus.SKIPPED, "outside local scope", 0)));
        assertThat(result.complete()).isTrue();
    }

    @Test
    void anyFailureMakesTheResultIncomplete() {
        for (HubStatus failure : List.of(HubStatus.TIMEOUT, HubStatus.ERROR, HubStatus.CIRCUIT_OPEN)) {
            SearchResult result = new SearchResult(PATIENT, List.of(document(PATIENT, "1")),
                    List.of(ok("rsw"), new HubOutcome("cozo", failure, "cozo: " + failure.wire(), 5000)));
            assertThat(result.complete()).as(failure.name()).isFalse();
        }
    }

    @Test
    void noHubOutcomeIsNotComplete() {
        assertThat(new SearchResult(PATIENT, List.of(), List.of()).complete()).isFalse();
    }

    @Test
    void listsAreCopiedAndImmutable() {
        List<DocumentEntry> documents = new ArrayList<>(List.of(document(PATIENT, "1")));
        List<HubOutcome> hubs = new ArrayList<>(List.of(ok("rsw")));
        SearchResult result = new SearchResult(PATIENT, documents, hubs);
        documents.clear();
        hubs.clear();

        assertThat(result.documents()).hasSize(1);
        assertThat(result.hubs()).hasSize(1);
        assertThatThrownBy(() -> result.documents().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> result.hubs().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsDocumentsOfAnotherPatient() {
        assertThatThrownBy(() -> new SearchResult(PATIENT, List.of(document(OTHER_PATIENT, "7")), List.of(ok("rsw"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another patient")
                .hasMessageNotContaining(OTHER_PATIENT.value());
    }

    @Test
    void rejectsAHubReportedTwice() {
        assertThatThrownBy(() -> new SearchResult(PATIENT, List.of(), List.of(ok("rsw"), ok("rsw"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rsw");
    }

    @Test
    void hubOutcomeRules() {
        assertThatThrownBy(() -> new HubOutcome("rsw", HubStatus.TIMEOUT, null, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an error");
        assertThatThrownBy(() -> new HubOutcome("rsw", HubStatus.OK, "boom", 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not carry an error");
        assertThatThrownBy(() -> new HubOutcome("rsw", HubStatus.OK, null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tookMs");
        assertThatThrownBy(() -> new HubOutcome(" ", HubStatus.OK, null, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HubOutcome("rsw", null, null, 1))
                .isInstanceOf(NullPointerException.class);
        assertThat(new HubOutcome("rsw", HubStatus.SKIPPED, null, 0).error()).isNull();
    }

    @Test
    void hubStatusWireValues() {
        assertThat(HubStatus.OK.wire()).isEqualTo("ok");
        assertThat(HubStatus.TIMEOUT.wire()).isEqualTo("timeout");
        assertThat(HubStatus.ERROR.wire()).isEqualTo("error");
        assertThat(HubStatus.CIRCUIT_OPEN.wire()).isEqualTo("circuit-open");
        assertThat(HubStatus.SKIPPED.wire()).isEqualTo("skipped");
        for (HubStatus status : HubStatus.values()) {
            assertThat(HubStatus.fromWire(status.wire())).isEqualTo(status);
        }
        assertThatThrownBy(() -> HubStatus.fromWire("circuit_open")).isInstanceOf(IllegalArgumentException.class);
        assertThat(HubStatus.OK.isFailure()).isFalse();
        assertThat(HubStatus.SKIPPED.isFailure()).isFalse();
        assertThat(HubStatus.CIRCUIT_OPEN.isFailure()).isTrue();
    }
}
