package be.recordbroker.kmehr;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.xml.ws.WebServiceException;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionListRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionListResponseType;
import be.fgov.ehealth.hubservices.core.v3.LocalSearchType;
import be.fgov.ehealth.hubservices.core.v3.RequestListType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionListType;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.hubservices.core.v3.TransactionWithPeriodType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTION;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTIONschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.DocumentStatus;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.Institution;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;

/**
 * A hub's list of a patient's documents (IntraHub GetTransactionList), as domain {@link DocumentEntry} values with the
 * broker's document ids. Used by the federated search (one call per hub) and by the retrieve (which looks the
 * document up at its hub: its type for the access matrix, its source hospital for the route, and whether it exists).
 */
public class HubTransactionLists {

    /** A transaction's content type when the hub does not say: a KMEHR message. */
    static final String DEFAULT_MIME_TYPE = "text/xml";

    private final HubClients clients;
    private final Network network;
    private final NihiiValidation nihiiValidation;
    private final ZoneId zone;

    public HubTransactionLists(HubClients clients, Network network, NihiiValidation nihiiValidation, ZoneId zone) {
        this.clients = clients;
        this.network = network;
        this.nihiiValidation = nihiiValidation;
        this.zone = zone;
    }

    /**
     * The patient's documents at one hub, as the hub orders them.
     *
     * @param author        the acting professional, as the hubs expect it in request/author
     * @param breakTheGlass passed on to the hub when the gate allowed the access that way, else null
     * @throws HubCallException when the hub cannot be reached or answers with an error
     */
    public List<DocumentEntry> list(String hubCode, String patientSsin, Collection<String> types, LocalDate from,
                                    LocalDate to, boolean global, HcpartyType author, String breakTheGlass) {
        return list(hubCode, patientSsin, types, from, to, global, author, breakTheGlass, null);
    }

    /**
     * The patient's documents at one hub, as the hub orders them, waiting at most {@code receiveTimeout} for the hub
     * (for its answer to begin, and between two reads; null: the network file's receive timeout). A hub that does not
     * answer in time fails with a {@link HubCallException} caused by a {@link java.net.SocketTimeoutException}.
     */
    public List<DocumentEntry> list(String hubCode, String patientSsin, Collection<String> types, LocalDate from,
                                    LocalDate to, boolean global, HcpartyType author, String breakTheGlass,
                                    java.time.Duration receiveTimeout) {
        Hub hub = network.requireHub(hubCode);
        GetTransactionListRequestType request = new GetTransactionListRequestType();
        RequestListType header = Kmehr.requestList(author, OffsetDateTime.now(zone));
        header.setBreaktheglass(breakTheGlass);
        request.setRequest(header);
        SelectGetTransactionListType select = new SelectGetTransactionListType();
        select.setPatient(Kmehr.patient(patientSsin));
        if (!types.isEmpty() || from != null || to != null) {
            TransactionWithPeriodType criteria = new TransactionWithPeriodType();
            types.forEach(t -> criteria.getCd().add(Kmehr.cdTransaction(t)));
            criteria.setBegindate(from == null ? null : Kmehr.date(from));
            criteria.setEnddate(to == null ? null : Kmehr.date(to));
            select.setTransaction(criteria);
        }
        select.setSearchtype(global ? LocalSearchType.GLOBAL : LocalSearchType.LOCAL);
        request.setSelect(select);

        GetTransactionListResponseType response;
        try {
            response = (receiveTimeout == null ? clients.hub(hubCode) : clients.hub(hubCode, receiveTimeout))
                    .getTransactionList(request);
        } catch (WebServiceException e) {
            throw new HubCallException(hubCode, false, "GetTransactionList at hub " + hubCode + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
        if (response == null || response.getAcknowledge() == null || !response.getAcknowledge().isIscomplete()) {
            String code = response == null || response.getAcknowledge() == null || response.getAcknowledge().getError().isEmpty()
                    || response.getAcknowledge().getError().get(0).getCd().isEmpty() ? "no error given"
                    : response.getAcknowledge().getError().get(0).getCd().get(0).getValue();
            throw new HubCallException(hubCode, true, "GetTransactionList refused by hub " + hubCode + ": " + code, null);
        }
        List<DocumentEntry> entries = new ArrayList<>();
        if (response.getKmehrheader() != null && response.getKmehrheader().getFolder() != null) {
            for (TransactionSummaryType t : response.getKmehrheader().getFolder().getTransaction()) {
                toEntry(hub, patientSsin, t).ifPresent(entries::add);
            }
        }
        return entries;
    }

    /** One document of the patient at its hub, by its local id; empty when the hub does not list it (any more). */
    public Optional<DocumentEntry> find(DocumentId id, HcpartyType author, String breakTheGlass) {
        Hub hub = network.hubs().byEhpId(id.hubEhpId())
                .orElseThrow(() -> new HubClients.UnknownHubException("no hub with EHP id " + id.hubEhpId()));
        return list(hub.code(), id.patientSsin(), List.of(), null, null, false, author, breakTheGlass).stream()
                .filter(e -> e.id().sourceLabel().equals(id.sourceLabel()) && e.id().localId().equals(id.localId()))
                .findFirst();
    }

    /** The entry for one listed transaction; empty when it lacks what a document needs (hub id, type, date). */
    Optional<DocumentEntry> toEntry(Hub hub, String patientSsin, TransactionSummaryType t) {
        Optional<String> localId = Kmehr.localIdValue(t.getId(), hub.sourceLabel());
        Optional<String> type = Kmehr.transactionTypeOf(t.getCd());
        if (localId.isEmpty() || type.isEmpty() || t.getDate() == null) {
            return Optional.empty();
        }
        try {
            OffsetDateTime when = Kmehr.dateTime(t.getDate(), t.getTime(), zone);
            String title = t.getCd().stream()
                    .filter(c -> c.getS() == CDTRANSACTIONschemes.LOCAL && c.getDN() != null && !c.getDN().isBlank()
                            && !Kmehr.SL_MEDIATYPE.equals(c.getSL()))
                    .map(CDTRANSACTION::getDN).findFirst().orElse(type.get());
            String mimeType = t.getCd().stream()
                    .filter(c -> c.getS() == CDTRANSACTIONschemes.LOCAL && Kmehr.SL_MEDIATYPE.equals(c.getSL()))
                    .map(CDTRANSACTION::getValue).findFirst().orElse(DEFAULT_MIME_TYPE);
            Long size = Kmehr.localIdValue(t.getId(), Kmehr.SL_SIZE).map(Long::valueOf).orElse(null);
            String sha256 = Kmehr.localIdValue(t.getId(), Kmehr.SL_SHA256).orElse(null);
            Professional author = null;
            Institution institution = null;
            String sourceHospital = null;
            if (t.getAuthor() != null) {
                author = Kmehr.professionalOf(t.getAuthor()).flatMap(this::professional).orElse(null);
                for (HcpartyType party : t.getAuthor().getHcparty()) {
                    String cd = Kmehr.cdOf(party).orElse("");
                    Optional<String> nihii = Kmehr.idOf(party, IDHCPARTYschemes.ID_HCPARTY);
                    if (cd.startsWith("org") && nihii.isPresent() && institution == null) {
                        institution = new Institution(Nihii.parse(nihii.get(), nihiiValidation),
                                party.getName() == null || party.getName().isBlank() ? nihii.get() : party.getName());
                        sourceHospital = connectedHospital(nihii.get()).map(Hospital::facilityId).orElse(null);
                    }
                }
            }
            DocumentId id = new DocumentId(hub.ehpId(), patientSsin, hub.sourceLabel(), localId.get());
            return Optional.of(new DocumentEntry(id, Ssin.parse(patientSsin), type.get(), title, when, author,
                    institution, sourceHospital, mimeType, size, sha256, DocumentStatus.AVAILABLE));
        } catch (RuntimeException e) {
            // one malformed transaction must not hide the others
            return Optional.empty();
        }
    }

    private Optional<Professional> professional(HcpartyType party) {
        try {
            String profession = Kmehr.cdOf(party).orElse("persphysician");
            Optional<String> nihii = Kmehr.idOf(party, IDHCPARTYschemes.ID_HCPARTY);
            if (nihii.isEmpty() || Professional.PATIENT.equals(profession)) {
                return Optional.empty();
            }
            String name = Kmehr.displayName(party);
            return Optional.of(new Professional(Nihii.parse(nihii.get(), nihiiValidation), null, profession,
                    name.isEmpty() ? nihii.get() : name));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Hospital> connectedHospital(String nihii) {
        return network.hospitals().stream().filter(h -> h.nihii().value().equals(nihii)).findFirst();
    }
}
