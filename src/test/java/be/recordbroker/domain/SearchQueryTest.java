package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchQueryTest {

    private static final Ssin PATIENT = Ssin.parse("85073003328");
    private static final LocalDate JAN_1 = LocalDate.of(2024, 1, 1);
    private static final LocalDate DEC_31 = LocalDate.of(2024, 12, 31);

    private static SearchQuery query(Set<String> types, LocalDate from, LocalDate to, int page, int pageSize) {
        return new SearchQuery(PATIENT, types, from, to, SearchScope.GLOBAL, page, pageSize);
    }

    @Test
    void keepsValidValues() {
        SearchQuery q = query(Set.of("sumehr", "labresult"), JAN_1, DEC_31, 2, 50);

        assertThat(q.patient()).isEqualTo(PATIENT);
        assertThat(q.types()).containsExactly("labresult", "sumehr"); // sorted, so iteration is stable
        assertThat(q.from()).isEqualTo(JAN_1);
        assertThat(q.to()).isEqualTo(DEC_31);
        assertThat(q.scope()).isEqualTo(SearchScope.GLOBAL);
        assertThat(q.page()).isEqualTo(2);
        assertThat(q.pageSize()).isEqualTo(50);
    }

    @Test
    void typesAreCopiedAndImmutable() {
        Set<String> types = new HashSet<>(Set.of("sumehr"));
        SearchQuery q = query(types, null, null, 0, 10);
        types.add("labresult");

        assertThat(q.types()).containsExactly("sumehr");
        assertThatThrownBy(() -> q.types().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullTypesMeansAllTypes() {
        assertThat(query(null, null, null, 0, 10).types()).isEmpty();
    }

    @Test
    void rejectsBlankType() {
        assertThatThrownBy(() -> query(Set.of(" "), null, null, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("document type");
    }

    @Test
    void dateRange() {
        assertThat(query(null, JAN_1, JAN_1, 0, 10).from()).isEqualTo(JAN_1);
        assertThat(query(null, JAN_1, null, 0, 10).to()).isNull();
        assertThat(query(null, null, DEC_31, 0, 10).from()).isNull();
        assertThatThrownBy(() -> query(null, DEC_31, JAN_1, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be after");
    }

    @Test
    void pageMustNotBeNegative() {
        assertThat(query(null, null, null, 0, 10).page()).isZero();
        assertThatThrownBy(() -> query(null, null, null, -1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("page must be >= 0");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 501, Integer.MAX_VALUE})
    void pageSizeOutOfRangeIsRejected(int pageSize) {
        assertThatThrownBy(() -> query(null, null, null, 0, pageSize))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pageSize");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 500})
    void pageSizeBoundariesAreAccepted(int pageSize) {
        assertThat(query(null, null, null, 0, pageSize).pageSize()).isEqualTo(pageSize);
    }

    @Test
    void patientAndScopeAreRequired() {
        assertThatThrownBy(() -> new SearchQuery(null, null, null, null, SearchScope.LOCAL, 0, 10))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SearchQuery(PATIENT, null, null, null, null, 0, 10))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringDoesNotLeakTheSsin() {
        assertThat(query(null, null, null, 0, 10).toString()).doesNotContain("85073003328").contains("85.07.30-***.**");
    }

    @Test
    void searchScopeWireValues() {
        assertThat(SearchScope.LOCAL.wire()).isEqualTo("local");
        assertThat(SearchScope.GLOBAL.wire()).isEqualTo("global");
        assertThat(SearchScope.fromWire("local")).isEqualTo(SearchScope.LOCAL);
        assertThat(SearchScope.fromWire(" GLOBAL ")).isEqualTo(SearchScope.GLOBAL);
        for (SearchScope scope : SearchScope.values()) {
            assertThat(SearchScope.fromWire(scope.wire())).isEqualTo(scope);
        }
        assertThatThrownBy(() -> SearchScope.fromWire("external")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SearchScope.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
