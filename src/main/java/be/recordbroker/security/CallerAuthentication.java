package be.recordbroker.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import be.recordbroker.domain.Professional;

/**
 * A REST (or FHIR) caller proven by a bearer token: the person the broker's gate decides for, and the software
 * ({@code azp} or {@code client_id}) the token was issued to, written to the audit row.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final transient Professional caller;
    private final String client;
    private final transient Jwt token;

    public CallerAuthentication(Professional caller, String client, Jwt token) {
        super(List.of(new SimpleGrantedAuthority("ROLE_caller")));
        this.caller = caller;
        this.client = client;
        this.token = token;
        setAuthenticated(true);
    }

    public Professional caller() {
        return caller;
    }

    /** The calling software, or null when the token does not name it. */
    public String client() {
        return client;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return token.getSubject() != null ? token.getSubject() : "caller";
    }
}
