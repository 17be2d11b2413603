package be.recordbroker.security;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import be.recordbroker.domain.Professional;
import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;
import be.recordbroker.web.RestInput;

/**
 * Who is calling a REST route and under which request id: the identity Spring Security's resource server verified
 * (see {@code SecurityConfiguration}; an unauthenticated request never reaches a route) and the software the token
 * was issued to. The REST routes run on the request's own thread ({@code RestFaceConfiguration}), where the
 * security context is. The request id is set on the answer too.
 */
public record RestCaller(String requestId, Professional caller, String client, String breakTheGlass) {

    public static final String BREAK_THE_GLASS_HEADER = RestInput.BREAK_THE_GLASS_HEADER;

    public static RestCaller of(Exchange exchange) {
        Message message = exchange.getMessage();
        String requestId = RequestIds.of(message.getHeader(Problems.REQUEST_ID_HEADER, String.class));
        message.setHeader(Problems.REQUEST_ID_HEADER, requestId);
        String btg = message.getHeader(BREAK_THE_GLASS_HEADER, String.class);
        CallerAuthentication who = current();
        return new RestCaller(requestId, who == null ? null : who.caller(), who == null ? null : who.client(), btg);
    }

    /** The verified caller of the current request, or null (the gate then answers UNAUTHENTICATED). */
    public static CallerAuthentication current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof CallerAuthentication caller ? caller : null;
    }
}
