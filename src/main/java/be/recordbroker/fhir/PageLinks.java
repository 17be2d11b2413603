package be.recordbroker.fhir;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.util.UrlUtil;

import be.recordbroker.domain.SealedTokens;

/**
 * The {@code next} and {@code previous} links of the FHIR face's searches (DocumentReference, AuditEvent). A link made
 * the usual FHIR way repeats the query with another {@code _offset}, so it would put the patient's SSIN in a URL, to
 * be kept in browser histories and access logs, even for a POST {@code _search} made to keep it out of them. Here the
 * query is sealed ({@link SealedTokens}: opaque, authenticated) into the link's one parameter {@value #PARAMETER};
 * when a link comes back, {@link #opened} puts the query back before HAPI picks the search method, so the request is
 * the search it names, gated and audited again for whoever follows it. A link is good for {@code ttl}
 * ({@code record-broker.fhir.page-link-ttl}); it carries no break-the-glass justification, which is a header.
 */
public final class PageLinks {

    /** A page link's one parameter. */
    public static final String PARAMETER = "_page_token";

    private static final String PURPOSE = "record-broker fhir page link v1";
    /** The request's user data entry holding the page link a request came by. */
    private static final String FOLLOWED = PageLinks.class.getName() + ".followed";
    private static final String INVALID = "not a page link of this server (altered, or made under another key)";

    private final SealedTokens tokens;
    private final Clock clock;
    private final Duration ttl;

    public PageLinks(SealedTokens tokens, Clock clock, Duration ttl) {
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
        String sealed = tokens.seal(PURPOSE, String.join("\n", details.getResourceName(),
                Long.toString(clock.instant().getEpochSecond()), parameters.toString()));
        return details.getFhirServerBase() + "/" + details.getResourceName() + "?" + PARAMETER + "=" + sealed;
    }

    /**
     * A request made by a page link: the search's parameters back in place of the token, before HAPI picks the
     * method (and refuses what it does not know). A token altered, of another resource type, with other parameters
     * beside it, or expired gets a 400.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public void opened(RequestDetails details) {
        String[] token = details.getParameters().get(PARAMETER);
        if (token == null) {
            return;
        }
        if (token.length != 1 || details.getParameters().size() != 1) {
            throw refused(details, "comes alone: the link's other parameters are inside it");
        }
        String[] fields = tokens.open(PURPOSE, token[0]).map(text -> text.split("\n", 3)).orElse(null);
        if (fields == null || fields.length != 3 || !fields[0].equals(details.getResourceName())) {
            throw refused(details, INVALID);
        }
        if (Instant.ofEpochSecond(Long.parseLong(fields[1])).plus(ttl).isBefore(clock.instant())) {
            throw refused(details, "the page link has expired (good for " + ttl.toMinutes() + " min): search again");
        }
        details.setParameters(UrlUtil.parseQueryString(fields[2]));
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

    private static RuntimeException refused(RequestDetails details, String problem) {
        return FhirOutcomes.refusal(400, "INVALID_PARAMETER", PARAMETER + ": " + problem, details.getRequestId());
    }
}
