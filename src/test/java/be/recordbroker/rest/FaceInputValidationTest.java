package be.recordbroker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetPatientAuditTrailType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionType;
import be.fgov.ehealth.hubservices.core.v3.TransactionBaseType;
import be.fgov.ehealth.hubservices.core.v3.TransactionWithPeriodType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHR;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHRschemes;
import be.recordbroker.domain.InputRules.InvalidInputException;
import be.recordbroker.domain.InputRules;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.security.RestCaller;
import be.recordbroker.soap.SoapInput;
import be.recordbroker.web.RestInput;

/**
 * The faces' parameter checks (RestInput, SoapInput, InputRules): a control character or an over-long or malformed
 * value in any parameter is refused, naming the parameter; good values pass. The routes call these before the gate
 * (SearchRoutes, AuditTrailRoutes, DocumentRetrieveServlet, IntraHubSoapRoutes, DocumentRetrieveRoutes).
 */
class FaceInputValidationTest {

    static final List<String> BAD = List.of("\u0000", "\u0001", "\t", "\n", "\u001b", "\u007f", "\u0085", "\u2028");

    @Test
    void everyRestParameterRefusesControlCharacters() {
        for (String c : BAD) {
            assertRefused("type", () -> RestInput.types("labresult" + c));
            assertRefused("type", () -> RestInput.types(List.of("sumehr", "lab" + c + "result")));
            assertRefused("from", () -> InputRules.date("from", "2026-01-01" + c));
            assertRefused("scope", () -> InputRules.matching("scope", "global" + c, java.util.regex.Pattern.compile(
                    "(?i)global|local"), "global or local"));
            assertRefused("page", () -> InputRules.integer("page", "1" + c, 0, 0, 10));
            assertRefused("id", () -> RestInput.documentId("abc" + c));
            assertRefused(RestCaller.BREAK_THE_GLASS_HEADER,
                    () -> RestInput.breakTheGlass("Unconscious patient" + c));
            assertRefused("ssin", () -> InputRules.text("ssin", "85073003328" + c, InputRules.MAX_SSIN_LENGTH));
        }
    }

    @Test
    void restValuesAreCheckedForPatternLengthAndRange() {
        assertThat(RestInput.types(List.of("LabResult, sumehr", "ebirth-mother-medicalform"))).containsExactly(
                "labresult", "sumehr", "ebirth-mother-medicalform");
        assertRefused("type", () -> RestInput.types("x".repeat(65)));
        assertRefused("type", () -> RestInput.types("lab result"));
        assertRefused("type", () -> RestInput.types("a;drop"));
        assertRefused("type", () -> RestInput.types(String.join(",", java.util.Collections.nCopies(33, "a")
                .stream().map(s -> s + Math.random()).map(s -> s.replace("0.", "")).toList())));
        assertRefused("from", () -> InputRules.date("from", "2026-02-30"));
        assertRefused("from", () -> InputRules.date("from", "20260101"));
        assertThat(InputRules.date("from", " 2026-02-28 ")).hasToString("2026-02-28");
        assertRefused("pageSize", () -> InputRules.integer("pageSize", "501", 50, 1, 500));
        assertRefused("page", () -> InputRules.integer("page", "-1", 0, 0, 10));
        assertThat(InputRules.integer("page", null, 7, 0, 10)).isEqualTo(7);
        assertRefused(RestCaller.BREAK_THE_GLASS_HEADER, () -> RestInput.breakTheGlass("x".repeat(1001)));
        assertRefused("id", () -> RestInput.documentId("x".repeat(2049)));
    }

    @Test
    void everySoapFieldRefusesControlCharactersAndBadCodes() {
        for (String c : BAD) {
            GetTransactionListRequestType list = transactionList("labresult");
            list.getSelect().getTransaction().getCd().get(0).setValue("lab" + c + "result");
            assertRefused("select/transaction/cd", () -> SoapInput.check(list));

            GetTransactionListRequestType id = transactionList("labresult");
            id.getRequest().getId().setValue("req" + c);
            assertRefused("request/id", () -> SoapInput.check(id));

            GetTransactionListRequestType name = transactionList("labresult");
            name.getRequest().getAuthor().getHcparty().get(0).setFamilyname("Dr" + c);
            assertRefused("request/author/hcparty/familyname", () -> SoapInput.check(name));

            GetTransactionListRequestType btg = transactionList("labresult");
            btg.getRequest().setBreaktheglass("Unconscious" + c);
            assertRefused("request/breaktheglass", () -> SoapInput.check(btg));

            GetTransactionListRequestType patient = transactionList("labresult");
            patient.getSelect().getPatient().getId().get(0).setValue("85073003328" + c);
            assertRefused("select/patient/id", () -> SoapInput.check(patient));

            GetPatientAuditTrailRequestType trail = auditTrail();
            trail.getSelect().setBreaktheglass("Cardiac arrest" + c);
            assertRefused("select/breaktheglass", () -> SoapInput.check(trail));

            GetTransactionRequestType get = getTransaction("doc" + c);
            assertRefused("select/transaction/id", () -> SoapInput.check(get));
        }
        SoapInput.check(transactionList("labresult"));
        SoapInput.check(auditTrail());
        SoapInput.check(getTransaction("abc-DEF_123"));
        GetTransactionListRequestType maxrows = transactionList("labresult");
        maxrows.getRequest().setMaxrows(java.math.BigDecimal.valueOf(100_000));
        assertRefused("request/maxrows", () -> SoapInput.check(maxrows));
        assertThat(SoapInput.fault(new InvalidInputException("request/id", "x")).getMessage())
                .startsWith("INVALID_PARAMETER: request/id");
    }

    static void assertRefused(String parameter, Runnable check) {
        assertThatThrownBy(check::run).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).parameter()).isEqualTo(parameter))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f]"));
    }

    public static GetTransactionListRequestType transactionList(String code) {
        GetTransactionListRequestType r = new GetTransactionListRequestType();
        r.setRequest(Kmehr.requestList(Kmehr.professionalParty("12345625004", null, "persphysician", "An", "Verstraeten"),
                OffsetDateTime.now()));
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient("85073003328"));
        TransactionWithPeriodType t = new TransactionWithPeriodType();
        t.getCd().add(Kmehr.cdTransaction(code));
        select.setTransaction(t);
        r.setSelect(select);
        return r;
    }

    public static GetPatientAuditTrailRequestType auditTrail() {
        GetPatientAuditTrailRequestType r = new GetPatientAuditTrailRequestType();
        r.setRequest(Kmehr.requestList(Kmehr.professionalParty("12345625004", null, "persphysician", "An", "Verstraeten"),
                OffsetDateTime.now()));
        SelectGetPatientAuditTrailType select = new SelectGetPatientAuditTrailType();
        select.setPatient(Kmehr.patient("85073003328"));
        r.setSelect(select);
        return r;
    }

    public static GetTransactionRequestType getTransaction(String id) {
        GetTransactionRequestType r = new GetTransactionRequestType();
        RequestType header = Kmehr.request(Kmehr.professionalParty("12345625004", null, "persphysician", "An",
                "Verstraeten"), OffsetDateTime.now());
        r.setRequest(header);
        SelectGetTransactionType select = new SelectGetTransactionType();
        select.setPatient(Kmehr.patient("85073003328"));
        TransactionBaseType t = new TransactionBaseType();
        IDKMEHR kid = new IDKMEHR();
        kid.setS(IDKMEHRschemes.LOCAL);
        kid.setSL(SoapInputSl.SL);
        kid.setValue(id);
        t.setId(kid);
        select.setTransaction(t);
        r.setSelect(select);
        return r;
    }

    static final class SoapInputSl {
        static final String SL = be.recordbroker.soap.TransactionListSoap.SL_DOCUMENT_ID;
    }
}
