package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HubDirectoryTest {

    private static final Hub RSB = new Hub("rsb", "1990000728", "RSBID", "Abrumet / Brussels Health Network");
    // CoZo's real source label is unknown; COZOID is a test value.
    private static final Hub COZO = new Hub("cozo", "1990000134", "COZOID", "Collaboratief Zorgplatform");
    private static final Hub RSW = new Hub("rsw", "1990000035", "RSWID", "Réseau Santé Wallon");
    private static final Hub VITALINK = new Hub("vitalink", "1990001916", "vitalinkuri", "Vitalink");

    private final HubDirectory directory = HubDirectory.of(List.of(RSB, COZO, RSW, VITALINK));

    @Test
    void looksUpByCodeEhpIdAndSourceLabel() {
        assertThat(directory.byCode("rsw")).contains(RSW);
        assertThat(directory.byEhpId("1990000728")).contains(RSB);
        assertThat(directory.bySourceLabel("vitalinkuri")).contains(VITALINK);
        assertThat(directory.bySourceLabel("COZOID")).contains(COZO);
    }

    @Test
    void unknownOrNullKeysGiveEmpty() {
        assertThat(directory.byEhpId("1990009999")).isEmpty();
        assertThat(directory.byCode("vzn")).isEmpty();
        assertThat(directory.bySourceLabel("rswid")).as("source labels are case-sensitive").isEmpty();
        assertThat(directory.byCode(null)).isEmpty();
        assertThat(directory.byEhpId(null)).isEmpty();
        assertThat(directory.bySourceLabel(null)).isEmpty();
    }

    @Test
    void allKeepsConfigurationOrderAndIsImmutable() {
        assertThat(directory.all()).containsExactly(RSB, COZO, RSW, VITALINK);
        assertThatThrownBy(() -> directory.all().add(RSB)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copiesTheInputCollection() {
        List<Hub> source = new ArrayList<>(List.of(RSB));
        HubDirectory copy = HubDirectory.of(source);
        source.add(RSW);

        assertThat(copy.all()).containsExactly(RSB);
        assertThat(copy.byCode("rsw")).isEmpty();
    }

    @Test
    void rejectsDuplicateCode() {
        Hub other = new Hub("rsw", "1990000999", "OTHERID", "Other");
        assertThatThrownBy(() -> HubDirectory.of(List.of(RSW, other)))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("code 'rsw'")
                .extracting(e -> ((InvalidIdentifierException) e).reason())
                .isEqualTo("DUPLICATE_HUB");
    }

    @Test
    void rejectsDuplicateEhpId() {
        Hub other = new Hub("other", "1990000035", "OTHERID", "Other");
        assertThatThrownBy(() -> HubDirectory.of(List.of(RSW, other)))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("EHP id '1990000035'")
                .hasMessageContaining("'rsw'")
                .hasMessageContaining("'other'");
    }

    @Test
    void rejectsDuplicateSourceLabel() {
        Hub other = new Hub("other", "1990000999", "RSWID", "Other");
        assertThatThrownBy(() -> HubDirectory.of(List.of(RSW, other)))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("source label 'RSWID'");
    }

    @Test
    void rejectsNullElements() {
        List<Hub> withNull = new ArrayList<>();
        withNull.add(RSW);
        withNull.add(null);
        assertThatThrownBy(() -> HubDirectory.of(withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> HubDirectory.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void hubValidatesItsFields() {
        assertInvalidHub(() -> new Hub("RSW", "1990000035", "RSWID", "x"), "code");
        assertInvalidHub(() -> new Hub("", "1990000035", "RSWID", "x"), "code");
        assertInvalidHub(() -> new Hub("a".repeat(33), "1990000035", "RSWID", "x"), "code");
        assertInvalidHub(() -> new Hub("rs w", "1990000035", "RSWID", "x"), "code");
        assertInvalidHub(() -> new Hub(null, "1990000035", "RSWID", "x"), "code");
        assertInvalidHub(() -> new Hub("rsw", "199000003", "RSWID", "x"), "EHP id");
        assertInvalidHub(() -> new Hub("rsw", "199000003X", "RSWID", "x"), "EHP id");
        assertInvalidHub(() -> new Hub("rsw", null, "RSWID", "x"), "EHP id");
        assertInvalidHub(() -> new Hub("rsw", "1990000035", "RSW ID", "x"), "source label");
        assertInvalidHub(() -> new Hub("rsw", "1990000035", " ", "x"), "source label");
        assertInvalidHub(() -> new Hub("rsw", "1990000035", null, "x"), "source label");
        assertInvalidHub(() -> new Hub("rsw", "1990000035", "RSWID", " "), "name");
        assertInvalidHub(() -> new Hub("rsw", "1990000035", "RSWID", null), "name");
    }

    @Test
    void hubAcceptsBoundaryCodes() {
        assertThat(new Hub("a", "1990000035", "RSWID", "x").code()).isEqualTo("a");
        assertThat(new Hub("a-1".repeat(10) + "bc", "1990000035", "RSWID", "x").code()).hasSize(32);
    }

    private static void assertInvalidHub(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call)
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining(field)
                .extracting(e -> ((InvalidIdentifierException) e).reason())
                .isEqualTo("INVALID_HUB");
    }
}
