package be.recordbroker.web;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Which of a REST route's message headers its HTTP answer carries: only those the broker sets for the caller
 * ({@code X-Request-Id} as security/RestCaller.java checked or made it, {@code Cache-Control: no-store} of
 * web/Problems, {@code Retry-After} of a 503, {@code WWW-Authenticate} of a 401), and {@code Content-Encoding}, which
 * the binding acts on (it gzips the body when the message says gzip). The status and {@code Content-Type} are written
 * by the binding itself.
 *
 * <p>camel-platform-http puts every request header, query and path parameter in the exchange's headers, and its own
 * strategy wrote them all back on the answer except a list of names it compares case-sensitively, while Tomcat hands
 * the names over in lower case: the caller's bearer token, its break-the-glass justification and the SSIN of the path
 * came back as headers of the answer, for any proxy or log on the way to see, and a request's {@code Expires} made
 * Spring Security leave out its {@code Cache-Control: no-store}. An allow-list keeps that shut for headers nobody has
 * thought of yet. Inbound, Camel's HTTP filter as before (no {@code Camel*} header from outside).
 */
public final class RestAnswerHeaders extends HttpHeaderFilterStrategy {

    private static final Set<String> ANSWER_HEADERS = Set.of(Problems.REQUEST_ID_HEADER.toLowerCase(Locale.ROOT),
            "cache-control", "retry-after", "www-authenticate", "content-encoding");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ANSWER_HEADERS.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
