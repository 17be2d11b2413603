package be.recordbroker.fhir;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletResponse;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.util.UrlUtil;

import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SealedTokens;
import be.recordbroker.security.CallerAuthentication;
import be.recordbroker.security.RestCaller;

/**
 * The {@code next} and {@code previous} links of the FHIR face's searches (DocumentReference, AuditEvent). A link made
 * the usual FHIR way repeats the query with another {@code _offset}, so it would put the patient's SSIN in a URL, to
 * be kept in browser histories and access logs, even for a POST {@code _search} made to keep it out of them. Here the
 * query is sealed ({@link SealedTokens}: opaque, authenticated) into the link's one parameter {@value #PARAMETER};
 * when a link comes back, {@link #opened} puts the query back before HAPI picks the search method, so the request is
 * the search it names, checked, gated and audited again. A link is good for {@code ttl}
 * ({@code record-broker.fhir.page-link-ttl}) and only for the caller it was made for (a leaked link does not let
 * anyone else search a patient whose SSIN he never had); it carries no break-the-glass justification, which is a
 * header.
 */
public final class PageLinks {

    /** A page link's one parameter. */
    public static final String PARAMETER = "_page_token";
    /** How the answer is presented, not what is searched: a client may add these to a link it follows. */
    static final Set<String> PRESENTATION = Set.of("_format", "_pretty", "_summary", "_elements");

    private static final String PURPOSE = "record-broker fhir page link v1";
    /** The request's user data entry holding the page link a request came by. */
    private static final String FOLLOWED = PageLinks.class.getName() + ".followed";
    private static final String INVALID = "not a page link of this server (altered, or made under another key)";
    private static final Duration LONGEST_TTL = Duration.ofDays(30);

    private final SealedTokens tokens;
    private final Clock clock;
    private final Duration ttl;

    public PageLinks(SealedTokens tokens, Clock clock, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(LONGEST_TTL) > 0) {
            throw new IllegalArgumentException("record-broker.fhir.page-link-ttl must be more than 0 and at most "
                    + LONGEST_TTL.toDays() + " days, not " + ttl);
        }
        this.tokens = tokens;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The link to the page at {@code offset} of the search this request made (its parameters, another page). */
    String link(RequestDetails details, int offset, int count) {
        Map<String, String[]> query = new TreeMap<>(details.getParameters());
        query.put("_offset", new String[] {Integer.toString(offset)});
        query.put("_count", new String[] {Integer.toString(count)});
        StringJoiner parameters = new StringJoiner("&");
        query.forEach((name, values) -> {
            for (String value : values) {
                parameters.add(UrlUtil.escapeUrlParam(name) + "=" + UrlUtil.escapeUrlParam(value));
            }
        });
        String sealed = tokens.seal(PURPOSE, String.join("\n", details.getResourceName(), caller(),
                Long.toString(clock.instant().getEpochSecond()), parameters.toString()));
        return details.getFhirServerBase() + "/" + details.getResourceName() + "?" + PARAMETER + "=" + sealed;
    }

    /**
     * A request made by a page link: the search's parameters back in place of the token, before HAPI picks the
     * method (and refuses what it does not know). A link that does not open is answered here, 400 with its reason,
     * rather than thrown: HAPI logs every exception out of a hook as an error with its stack, and an expired link is
     * no error of the server's.
     *
     * @return false when the request was answered
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public boolean opened(RequestDetails details, HttpServletResponse response) throws IOException {
        try {
            open(details);
            return true;
        } catch (Refused refused) {
            FhirOutcomes.write(details.getFhirContext(), response, 400, "INVALID_PARAMETER",
                    PARAMETER + ": " + refused.getMessage(), details.getRequestId());
            return false;
        }
    }

    /** Puts back the parameters a page link sealed, when the request came by one. */
    void open(RequestDetails details) {
        Map<String, String[]> asked = details.getParameters();
        String[] token = asked.get(PARAMETER);
        if (token == null) {
            return;
        }
        if (token.length != 1 || !asked.keySet().stream().allMatch(n -> n.equals(PARAMETER) || PRESENTATION.contains(n))) {
            throw new Refused("comes alone (beside it at most _elements, _format, _pretty, _summary): the search's"
                    + " parameters are inside it");
        }
        String[] fields = tokens.open(PURPOSE, token[0]).map(text -> text.split("\n", 4)).orElse(null);
        if (fields == null || fields.length != 4 || !fields[0].equals(details.getResourceName())) {
            throw new Refused(INVALID);
        }
        if (!fields[1].equals(caller())) {
            throw new Refused("made for another caller: search again");
        }
        if (Instant.ofEpochSecond(Long.parseLong(fields[2])).plus(ttl).isBefore(clock.instant())) {
            throw new Refused("the page link has expired (good for " + ttl + "): search again");
        }
        Map<String, String[]> restored = new HashMap<>(UrlUtil.parseQueryString(fields[3]));
        asked.forEach((name, values) -> {
            if (PRESENTATION.contains(name)) {
                restored.put(name, values); // the client's own, over what the first page was asked with
            }
        });
        details.setParameters(restored);
        details.getUserData().put(FOLLOWED, details.getFhirServerBase() + "/" + details.getResourceName() + "?"
                + PARAMETER + "=" + token[0]);
    }

    /**
     * The page's self link: the page link it was asked by (HAPI's would spell out the parameters put back, the
     * patient's among them), else HAPI's.
     */
    String self(RequestDetails details) {
        Object followed = details.getUserData().get(FOLLOWED);
        return followed != null ? followed.toString()
                : RestfulServerUtils.createLinkSelf(details.getFhirServerBase(), details);
    }

    /** Who the link is for: the verified caller (professional or patient) and the software he calls through. */
    private static String caller() {
        CallerAuthentication who = RestCaller.current();
        if (who == null) {
            return "";
        }
        Professional caller = who.caller();
        return (caller.nihii() == null ? "" : caller.nihii().value()) + "/"
                + (caller.ssin() == null ? "" : caller.ssin().value()) + "/" + caller.profession() + "/"
                + (who.client() == null ? "" : who.client());
    }

    /** Why a page link does not open (a 400). */
    static final class Refused extends RuntimeException {
        Refused(String problem) {
            super(problem, null, false, false);
        }
    }
}
