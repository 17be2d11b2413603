package be.recordbroker.soap;

import org.apache.cxf.binding.soap.SoapFault;

import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.TransactionWithPeriodType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTION;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.InputRules.InvalidInputException;
import be.recordbroker.domain.SearchQuery;

/**
 * The SOAP face's checks of what a request carries, applied before the gate (so a bad value never reaches the gate
 * nor an audit row): the request id, the author's names and ids, the patient id, the break-the-glass text, and each
 * operation's own selection (CD-TRANSACTION codes, maxrows, page index, the document id). XML already refuses NUL and
 * most C0 characters; these checks refuse the rest (DEL, C1, line separators, tabs and newlines in codes) and
 * over-long values. A refusal is a SOAP client fault naming the field ({@link #fault}).
 */
public final class SoapInput {

    /** A request id as other toolkits write it: free text, bounded (the audit row keeps 64 chars of it). */
    private static final int MAX_REQUEST_ID = 256;
    private static final int MAX_ID = 64;
    private static final int MAX_PAGE = 1_000_000;

    private SoapInput() {
    }

    public static void check(GetTransactionListRequestType request) {
        header(request.getRequest());
        if (request.getSelect() != null) {
            if (request.getSelect().getPatient() != null) {
                request.getSelect().getPatient().getId().forEach(i -> InputRules.text("select/patient/id",
                        i.getValue(), MAX_ID));
            }
            TransactionWithPeriodType t = request.getSelect().getTransaction();
            if (t != null) {
                if (t.getCd().size() > InputRules.MAX_TYPES) {
                    throw new InvalidInputException("select/transaction/cd", "at most " + InputRules.MAX_TYPES + " codes");
                }
                for (CDTRANSACTION cd : t.getCd()) {
                    if (cd.getValue() == null || InputRules.transactionCode("select/transaction/cd", cd.getValue()) == null) {
                        throw new InvalidInputException("select/transaction/cd", "a code is empty");
                    }
                }
            }
        }
        if (request.getRequest() != null) {
            if (request.getRequest().getMaxrows() != null) {
                InputRules.bounded("request/maxrows", request.getRequest().getMaxrows().intValue(), 1,
                        SearchQuery.MAX_PAGE_SIZE);
            }
            if (request.getRequest().getPaginationinfo() != null) {
                InputRules.bounded("request/paginationinfo/index", request.getRequest().getPaginationinfo().getIndex(),
                        0, MAX_PAGE);
            }
        }
    }

    public static void check(GetPatientAuditTrailRequestType request) {
        header(request.getRequest());
        if (request.getSelect() != null) {
            if (request.getSelect().getPatient() != null) {
                request.getSelect().getPatient().getId().forEach(i -> InputRules.text("select/patient/id",
                        i.getValue(), MAX_ID));
            }
            InputRules.text("select/breaktheglass", request.getSelect().getBreaktheglass(),
                    InputRules.MAX_BREAK_THE_GLASS);
        }
    }

    public static void check(GetTransactionRequestType request) {
        header(request.getRequest());
        if (request.getSelect() != null) {
            if (request.getSelect().getPatient() != null) {
                request.getSelect().getPatient().getId().forEach(i -> InputRules.text("select/patient/id",
                        i.getValue(), MAX_ID));
            }
            if (request.getSelect().getTransaction() != null && request.getSelect().getTransaction().getId() != null) {
                InputRules.text("select/transaction/id", request.getSelect().getTransaction().getId().getValue(),
                        InputRules.MAX_DOCUMENT_ID);
                InputRules.text("select/transaction/id/@SL", request.getSelect().getTransaction().getId().getSL(),
                        InputRules.MAX_NAME);
            }
        }
    }

    /** The request header every operation shares: id, author (names, ids, codes), break-the-glass. */
    static void header(RequestType request) {
        if (request == null) {
            return;
        }
        if (request.getId() != null) {
            InputRules.text("request/id", request.getId().getValue(), MAX_REQUEST_ID);
        }
        InputRules.text("request/breaktheglass", request.getBreaktheglass(), InputRules.MAX_BREAK_THE_GLASS);
        if (request.getAuthor() != null) {
            for (HcpartyType p : request.getAuthor().getHcparty()) {
                InputRules.text("request/author/hcparty/name", p.getName(), InputRules.MAX_NAME);
                InputRules.text("request/author/hcparty/firstname", p.getFirstname(), InputRules.MAX_NAME);
                InputRules.text("request/author/hcparty/familyname", p.getFamilyname(), InputRules.MAX_NAME);
                p.getId().forEach(i -> InputRules.text("request/author/hcparty/id", i.getValue(), 64));
                p.getCd().forEach(c -> InputRules.text("request/author/hcparty/cd", c.getValue(), 64));
            }
        }
    }

    /** The refusal as a SOAP client fault (names the field, never echoes the value). */
    public static SoapFault fault(InvalidInputException e) {
        return new SoapFault("INVALID_PARAMETER: " + e.getMessage(), SoapFault.FAULT_CODE_CLIENT);
    }
}
