package be.recordbroker.soap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionResponseType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHR;
import be.fgov.ehealth.standards.kmehr.schema.v1.AuthorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.fgov.ehealth.standards.kmehr.schema.v1.TransactionType;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.InvalidIdentifierException;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.kmehr.KmehrMessages;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;
import be.recordbroker.retrieve.KmehrContent;
import be.recordbroker.retrieve.OpenedDocument;
import be.recordbroker.retrieve.Retrieval;
import be.recordbroker.retrieve.RetrievalFailure;
import be.recordbroker.retrieve.RetrieveRequest;
import be.recordbroker.retrieve.StreamedContent;

/**
 * IntraHub GetTransaction on the broker's SOAP face, as KMEHR: reads the request (acting person, document, patient,
 * break-the-glass) and writes the answer. The document is named by {@code select/transaction/id}, either the broker's
 * own id ({@code S=LOCAL SL=record-broker.document-id}, as the broker's GetTransactionList gives it) or a hub's LOCAL
 * id ({@code SL} = that hub's source label) with {@code select/patient}. A KMEHR source's message is answered as it
 * came; other content is wrapped in a multimedia {@code lnk} (sent as an MTOM attachment when large, see
 * {@code LargeContentMtom}). A KMEHR answer is one in-memory message: content from a REST source is read up to
 * {@code record-broker.retrieve.max-inline-size}, larger documents are refused with {@code DOCUMENT_TOO_LARGE} (REST
 * streams any size). Refusals are {@code acknowledge/iscomplete=false} with the reason code as the error.
 */
public class SoapGetTransaction {

    /** The LOCAL id label of the broker's own document ids, as its GetTransactionList lists them. */
    public static final String SL_DOCUMENT_ID = TransactionListSoap.SL_DOCUMENT_ID;

    private final Network network;
    private final NihiiValidation nihiiValidation;
    private final HcpartyType self;
    private final long maxInlineSize;
    private final Clock clock;
    private final DocumentIdCodec documentIds;

    public SoapGetTransaction(Network network, NihiiValidation nihiiValidation, HcpartyType self, long maxInlineSize,
                              Clock clock, DocumentIdCodec documentIds) {
        this.documentIds = documentIds;
        this.network = network;
        this.nihiiValidation = nihiiValidation;
        this.self = self;
        this.maxInlineSize = maxInlineSize;
        this.clock = clock;
    }

    /** @throws RetrievalFailure {@code INVALID_DOCUMENT_ID} when the request does not name a document */
    public Retrieval read(GetTransactionRequestType request) {
        return read(request, null);
    }

    /** @param client the authenticated SOAP caller, for the audit row */
    public Retrieval read(GetTransactionRequestType request, String client) {
        Professional caller = SoapCallers.actingPerson(request.getRequest(), nihiiValidation).orElse(null);
        String requestId = SoapCallers.requestIdOf(request.getRequest());
        String breakTheGlass = request.getRequest() == null ? null : request.getRequest().getBreaktheglass();
        return Retrieval.of(new RetrieveRequest(documentIdOf(request), caller, null, breakTheGlass, "soap", requestId,
                clock.instant(), client));
    }

    String documentIdOf(GetTransactionRequestType request) {
        if (request.getSelect() == null || request.getSelect().getTransaction() == null
                || request.getSelect().getTransaction().getId() == null
                || request.getSelect().getTransaction().getId().getValue() == null) {
            throw invalid("select/transaction/id names no document");
        }
        IDKMEHR id = request.getSelect().getTransaction().getId();
        Optional<String> patient = Kmehr.ssinOf(request.getSelect().getPatient());
        String value = id.getValue().strip();
        if (SL_DOCUMENT_ID.equals(id.getSL())) {
            try {
                DocumentId decoded = documentIds.decode(value);
                if (patient.isPresent() && !patient.get().equals(decoded.patientSsin())) {
                    throw invalid("select/patient is not the patient of the document id");
                }
                return value;
            } catch (InvalidIdentifierException e) {
                throw invalid(e.getMessage());
            }
        }
        Hub hub = id.getSL() == null ? null : network.hubs().bySourceLabel(id.getSL()).orElse(null);
        if (hub == null) {
            throw invalid("select/transaction/id: SL '" + id.getSL() + "' is neither " + SL_DOCUMENT_ID
                    + " nor the source label of a hub");
        }
        if (patient.isEmpty()) {
            throw invalid("select/patient must carry the patient's INSS with a hub's LOCAL id");
        }
        try {
            return documentIds.encode(new DocumentId(hub.ehpId(), patient.get(), id.getSL(), value));
        } catch (InvalidIdentifierException e) {
            throw invalid(e.getMessage());
        }
    }

    /** The document as KMEHR: a KMEHR source's message as is, anything else wrapped. */
    public GetTransactionResponseType answer(GetTransactionRequestType request, OpenedDocument document) {
        KmehrmessageType message;
        if (document.content() instanceof KmehrContent kmehr) {
            message = kmehr.message();
        } else {
            StreamedContent streamed = (StreamedContent) document.content();
            byte[] bytes = readBounded(streamed);
            message = isXml(streamed.mimeType()) ? KmehrMessages.readIfKmehr(bytes).orElse(null) : null;
            if (message == null) {
                message = wrap(bytes, streamed.mimeType(), document.retrieval());
            }
        }
        GetTransactionResponseType out = new GetTransactionResponseType();
        out.setResponse(Kmehr.response(self, request.getRequest(), OffsetDateTime.now(clock)));
        out.setAcknowledge(Kmehr.complete());
        out.setKmehrmessage(message);
        return out;
    }

    public GetTransactionResponseType refused(GetTransactionRequestType request, String code, String detail) {
        GetTransactionResponseType out = new GetTransactionResponseType();
        out.setResponse(Kmehr.response(self, request.getRequest(), OffsetDateTime.now(clock)));
        out.setAcknowledge(Kmehr.failed(code, detail));
        return out;
    }

    /** The content bytes an answer carries (for the metrics): the wrapped document's, 0 for a plain KMEHR message. */
    public static long contentBytes(GetTransactionResponseType answer) {
        return answer.getKmehrmessage() == null ? 0 : KmehrMessages.firstMultimedia(answer.getKmehrmessage())
                .map(l -> (long) l.getValue().length).orElse(0L);
    }

    private byte[] readBounded(StreamedContent source) {
        if (source.length() > maxInlineSize) {
            source.abort();
            throw tooLarge(source.length());
        }
        InputStream in = source.body();
        try {
            byte[] bytes;
            if (source.length() >= 0) {
                bytes = in.readNBytes((int) source.length());
                if (bytes.length != source.length()) {
                    source.abort();
                    throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE, "the document source ended after "
                            + bytes.length + " of " + source.length() + " bytes");
                }
            } else {
                ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    if (out.size() + (long) n > maxInlineSize) {
                        source.abort();
                        throw tooLarge(-1);
                    }
                    out.write(buffer, 0, n);
                }
                bytes = out.toByteArray();
            }
            source.close();
            return bytes;
        } catch (SocketTimeoutException e) {
            source.abort();
            throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_TIMEOUT, "the document source stalled");
        } catch (IOException e) {
            source.abort();
            throw new RetrievalFailure(RetrievalFailure.Reason.SOURCE_UNAVAILABLE,
                    "the document source failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private RetrievalFailure tooLarge(long length) {
        return new RetrievalFailure(RetrievalFailure.Reason.DOCUMENT_TOO_LARGE, "the document"
                + (length >= 0 ? " (" + length + " bytes)" : "") + " is larger than a KMEHR answer may carry ("
                + maxInlineSize + " bytes); fetch it over REST: GET /api/v1/documents/{id}");
    }

    private KmehrmessageType wrap(byte[] bytes, String mimeType, Retrieval retrieval) {
        DocumentEntry entry = retrieval.entry();
        DocumentId id = retrieval.id();
        Hospital hospital = retrieval.hospital();
        HcpartyType source = Kmehr.organisationParty(hospital.nihii().value(), "orghospital", hospital.name());
        TransactionType transaction = new TransactionType();
        transaction.getId().add(Kmehr.idKmehr("1"));
        transaction.getId().add(Kmehr.localId(id.sourceLabel(), id.localId()));
        transaction.getCd().add(Kmehr.cdTransaction(entry.type()));
        transaction.setDate(Kmehr.date(entry.dateTime().toLocalDate()));
        transaction.setTime(Kmehr.time(entry.dateTime().toLocalTime()));
        AuthorType author = new AuthorType();
        if (entry.author() != null) {
            Professional p = entry.author();
            author.getHcparty().add(Kmehr.professionalParty(p.nihii() == null ? null : p.nihii().value(), null,
                    p.profession(), null, p.name()));
        }
        author.getHcparty().add(entry.authorInstitution() == null ? source : Kmehr.organisationParty(
                entry.authorInstitution().nihii().value(), "orghospital", entry.authorInstitution().name()));
        transaction.setAuthor(author);
        transaction.setIscomplete(true);
        transaction.setIsvalidated(true);
        PersonType patient = Kmehr.person(id.patientSsin(), null, null, null);
        return KmehrMessages.wrap(bytes, mimeType, patient, transaction, source,
                Kmehr.actingParty(retrieval.request().caller()), hospital.nihii().value() + "." + id.localId(),
                OffsetDateTime.now(clock));
    }

    private static boolean isXml(String mimeType) {
        String base = mimeType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        return base.equals("text/xml") || base.equals("application/xml");
    }

    private static RetrievalFailure invalid(String message) {
        return new RetrievalFailure(RetrievalFailure.Reason.INVALID_DOCUMENT_ID, message);
    }
}
