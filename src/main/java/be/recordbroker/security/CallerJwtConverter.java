package be.recordbroker.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;

/**
 * A verified token's claims as the broker's caller: {@code profession} and {@code name} always, {@code nihii} for a
 * professional, {@code ssin} for a citizen acting for himself ({@code profession = patient}); the calling software
 * from {@code azp} (OpenID Connect) or {@code client_id} (RFC 9068). A token whose identity claims are missing or
 * malformed is refused (401), never passed on as an anonymous caller.
 */
public final class CallerJwtConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final NihiiValidation nihiiValidation;

    public CallerJwtConverter(NihiiValidation nihiiValidation) {
        this.nihiiValidation = nihiiValidation;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        return new CallerAuthentication(callerOf(jwt), clientOf(jwt), jwt);
    }

    Professional callerOf(Jwt jwt) {
        try {
            String profession = jwt.getClaimAsString("profession");
            String name = jwt.getClaimAsString("name");
            if (profession == null || profession.isBlank() || name == null || name.isBlank()) {
                throw new InvalidBearerTokenException("the bearer token names no profession or name");
            }
            String rawNihii = jwt.getClaimAsString("nihii");
            String rawSsin = jwt.getClaimAsString("ssin");
            Ssin ssin = rawSsin == null || rawSsin.isBlank() ? null : Ssin.parse(rawSsin);
            Nihii nihii = rawNihii == null || rawNihii.isBlank() ? null : Nihii.parse(rawNihii, nihiiValidation);
            return new Professional(Professional.PATIENT.equals(profession) ? null : nihii, ssin, profession, name);
        } catch (IllegalArgumentException e) {
            throw new InvalidBearerTokenException("the bearer token's claims are not a valid identity: " + e.getMessage());
        }
    }

    static String clientOf(Jwt jwt) {
        String azp = jwt.getClaimAsString("azp");
        if (azp != null && !azp.isBlank()) {
            return azp;
        }
        String clientId = jwt.getClaimAsString("client_id");
        return clientId == null || clientId.isBlank() ? null : clientId;
    }
}
