package be.recordbroker.rest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import be.recordbroker.access.AccessDecision;
import be.recordbroker.domain.Professional;

/**
 * Who is calling a REST route and under which request id: the verified bearer identity, or null with the reason it
 * was refused (the gate then answers UNAUTHENTICATED and audits it). The request id is set on the answer too.
 */
public record RestCaller(String requestId, Professional caller, String refusal, String breakTheGlass) {

    public static final String BREAK_THE_GLASS_HEADER = "X-Break-The-Glass";

    public static RestCaller of(Exchange exchange, BearerTokenVerifier identities) {
        Message message = exchange.getMessage();
        String requestId = RequestIds.of(message.getHeader(Problems.REQUEST_ID_HEADER, String.class));
        message.setHeader(Problems.REQUEST_ID_HEADER, requestId);
        String btg = message.getHeader(BREAK_THE_GLASS_HEADER, String.class);
        try {
            return new RestCaller(requestId, identities.verify(message.getHeader("Authorization", String.class)), null, btg);
        } catch (BearerTokenVerifier.UnauthenticatedException e) {
            return new RestCaller(requestId, null, e.getMessage(), btg);
        }
    }

    /** Answers a denial as problem+json; an unauthenticated caller learns why his token was refused. */
    public void deny(Exchange exchange, AccessDecision decision) {
        Problems.problem(exchange, decision.reason().httpStatus(), decision.reason().name(),
                caller == null && refusal != null ? refusal : decision.detail());
    }
}
