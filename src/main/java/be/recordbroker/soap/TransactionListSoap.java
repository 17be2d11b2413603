package be.recordbroker.soap;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Set;

import be.fgov.ehealth.hubservices.core.v3.AcknowledgeType;
import be.fgov.ehealth.hubservices.core.v3.FolderTypeUnbounded;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListResponseType;
import be.fgov.ehealth.hubservices.core.v3.KmehrHeaderGetTransactionListType;
import be.fgov.ehealth.hubservices.core.v3.LocalSearchType;
import be.fgov.ehealth.hubservices.core.v3.Paginationresponseinfo;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.hubservices.core.v3.TransactionWithPeriodType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTION;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTIONschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.AuthorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.HubOutcome;
import be.recordbroker.domain.SearchScope;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.search.SearchPage;

/**
 * GetTransactionList on the broker's SOAP face: the request's filters (transaction codes, period, searchtype,
 * maxrows and page index) and the answer — one folder with a transaction summary per document, each carrying the
 * hub's own LOCAL id and the broker's document id ({@link #SL_DOCUMENT_ID}, for GetTransaction and REST), and an
 * acknowledgement that is incomplete, with one error per failed hub, when a hub did not answer.
 */
public final class TransactionListSoap {

    /** The LOCAL id source label under which the broker's opaque document id is listed. */
    public static final String SL_DOCUMENT_ID = "record-broker.document-id";
    public static final int DEFAULT_MAXROWS = 100;

    private TransactionListSoap() {
    }

    public static String patientOf(GetTransactionListRequestType request) {
        return request.getSelect() == null ? null : Kmehr.ssinOf(request.getSelect().getPatient()).orElse(null);
    }

    public static Set<String> typesOf(GetTransactionListRequestType request) {
        Set<String> types = new LinkedHashSet<>();
        TransactionWithPeriodType t = request.getSelect() == null ? null : request.getSelect().getTransaction();
        if (t != null) {
            t.getCd().stream().filter(c -> c.getS() == CDTRANSACTIONschemes.CD_TRANSACTION)
                    .map(CDTRANSACTION::getValue).forEach(types::add);
        }
        return types;
    }

    public static LocalDate fromOf(GetTransactionListRequestType request) {
        TransactionWithPeriodType t = request.getSelect() == null ? null : request.getSelect().getTransaction();
        return t == null ? null : Kmehr.localDate(t.getBegindate());
    }

    public static LocalDate toOf(GetTransactionListRequestType request) {
        TransactionWithPeriodType t = request.getSelect() == null ? null : request.getSelect().getTransaction();
        return t == null ? null : Kmehr.localDate(t.getEnddate());
    }

    /** {@code searchtype} local → the home hub only; global (the default) or external → every hub. */
    public static SearchScope scopeOf(GetTransactionListRequestType request) {
        return request.getSelect() != null && request.getSelect().getSearchtype() == LocalSearchType.LOCAL
                ? SearchScope.LOCAL : SearchScope.GLOBAL;
    }

    public static int pageSizeOf(GetTransactionListRequestType request) {
        return request.getRequest() == null || request.getRequest().getMaxrows() == null ? DEFAULT_MAXROWS
                : request.getRequest().getMaxrows().intValue();
    }

    public static int pageOf(GetTransactionListRequestType request) {
        return request.getRequest() == null || request.getRequest().getPaginationinfo() == null ? 0
                : request.getRequest().getPaginationinfo().getIndex();
    }

    public static String breakTheGlassOf(GetTransactionListRequestType request) {
        return request.getRequest() == null ? null : request.getRequest().getBreaktheglass();
    }

    public static GetTransactionListResponseType failed(GetTransactionListRequestType request, HcpartyType broker,
                                                        String code, String description, OffsetDateTime now) {
        GetTransactionListResponseType out = new GetTransactionListResponseType();
        out.setResponse(Kmehr.responseList(broker, request.getRequest(), now));
        out.setAcknowledge(Kmehr.failed(code, description));
        return out;
    }

    public static GetTransactionListResponseType denied(GetTransactionListRequestType request, HcpartyType broker,
                                                        AccessDecision decision, OffsetDateTime now) {
        return failed(request, broker, decision.reason().name(), decision.detail(), now);
    }

    public static GetTransactionListResponseType answer(GetTransactionListRequestType request, HcpartyType broker,
                                                        SearchPage page, OffsetDateTime now,
                                                        DocumentIdCodec documentIds) {
        GetTransactionListResponseType out = new GetTransactionListResponseType();
        out.setResponse(Kmehr.responseList(broker, request.getRequest(), now));
        Paginationresponseinfo info = new Paginationresponseinfo();
        info.setPagesize(page.pageSize());
        info.setTotalrecordcount(page.total());
        out.getResponse().setPaginationinfo(info);
        if (!page.result().documents().isEmpty()) {
            FolderTypeUnbounded folder = new FolderTypeUnbounded();
            PersonType patient = Kmehr.person(page.result().patient().value(), null, null, null);
            folder.setPatient(patient);
            page.result().documents().forEach(d -> folder.getTransaction().add(summary(d, documentIds)));
            KmehrHeaderGetTransactionListType header = new KmehrHeaderGetTransactionListType();
            header.setFolder(folder);
            out.setKmehrheader(header);
        }
        AcknowledgeType ack = Kmehr.complete();
        ack.setIscomplete(page.complete());
        for (HubOutcome o : page.result().hubs()) {
            if (o.status().isFailure()) {
                ack.getError().add(Kmehr.error("hub." + o.status().wire(), "hub " + o.hub() + ": " + o.status().wire()
                        + (o.error() == null ? "" : " (" + o.error() + ")")));
            }
        }
        if (!page.metahubAvailable()) {
            ack.getError().add(Kmehr.error("metahub.unavailable",
                    "the metahub could not be asked which hubs know the patient: every hub was asked"));
        }
        out.setAcknowledge(ack);
        return out;
    }

    static TransactionSummaryType summary(DocumentEntry d, DocumentIdCodec documentIds) {
        TransactionSummaryType t = new TransactionSummaryType();
        t.getId().add(Kmehr.idKmehr("1"));
        t.getId().add(Kmehr.localId(d.id().sourceLabel(), d.id().localId()));
        t.getId().add(Kmehr.localId(SL_DOCUMENT_ID, documentIds.encode(d.id())));
        if (d.sha256() != null) {
            t.getId().add(Kmehr.localId(Kmehr.SL_SHA256, d.sha256()));
        }
        if (d.size() != null) {
            t.getId().add(Kmehr.localId(Kmehr.SL_SIZE, d.size().toString()));
        }
        t.getCd().add(Kmehr.cdTransaction(d.type()));
        t.getCd().add(Kmehr.localTransactionCode(d.id().sourceLabel() + "-DOCTYPE", d.type(), d.title()));
        t.getCd().add(Kmehr.localTransactionCode(Kmehr.SL_MEDIATYPE, d.mimeType(), null));
        t.setDate(Kmehr.date(d.dateTime().toLocalDate()));
        t.setTime(Kmehr.time(d.dateTime().toLocalTime()));
        AuthorType author = new AuthorType();
        if (d.author() != null) {
            author.getHcparty().add(Kmehr.actingParty(d.author()));
        }
        if (d.authorInstitution() != null) {
            author.getHcparty().add(Kmehr.organisationParty(d.authorInstitution().nihii().value(), "orghospital",
                    d.authorInstitution().name()));
        }
        t.setAuthor(author);
        t.setIscomplete(true);
        t.setIsvalidated(true);
        t.setRecorddatetime(Kmehr.dateTime(d.dateTime()));
        return t;
    }
}
