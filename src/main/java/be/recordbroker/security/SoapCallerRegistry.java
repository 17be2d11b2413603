package be.recordbroker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.Professional;
import be.recordbroker.kmehr.Kmehr;

/**
 * The registered SOAP callers (hubs, hospitals' software): who they are (client certificate subject, or in the
 * sandbox a Basic secret) and whom each may speak for. The SOAP face believes a request's {@code author/hcparty} only
 * within the caller's allowlist: a hub vouches for any professional; a hospital's software for its own institution's
 * staff (the author names that institution); a list of professions; a list of citizens acting for themselves.
 */
public final class SoapCallerRegistry {

    public static final String ROLE = "ROLE_soap_caller";

    private record Caller(String name, String subject, byte[] secretHash, IdentityProperties.SpeaksFor speaksFor) {
    }

    private final Map<String, Caller> byName = new LinkedHashMap<>();
    private final Map<String, Caller> bySubject = new LinkedHashMap<>();

    public SoapCallerRegistry(List<IdentityProperties.SoapCaller> callers) {
        for (IdentityProperties.SoapCaller c : callers) {
            if (c.getName() == null || c.getName().isBlank()) {
                throw new IllegalStateException("record-broker.identity.soap-callers: a caller has no name");
            }
            String subject = c.getCertificateSubject() == null || c.getCertificateSubject().isBlank() ? null
                    : canonical(c.getCertificateSubject());
            byte[] hash = c.getSecretSha256() == null || c.getSecretSha256().isBlank() ? null
                    : HexFormat.of().parseHex(c.getSecretSha256().strip().toLowerCase(Locale.ROOT));
            Caller caller = new Caller(c.getName(), subject, hash,
                    c.getSpeaksFor() == null ? new IdentityProperties.SpeaksFor() : c.getSpeaksFor());
            if (byName.put(caller.name(), caller) != null) {
                throw new IllegalStateException("record-broker.identity.soap-callers: " + c.getName() + " twice");
            }
            if (subject != null) {
                for (String form : new String[] {subject, canonical(reversed(c.getCertificateSubject()))}) {
                    Caller other = bySubject.put(form, caller);
                    if (other != null && other != caller) {
                        throw new IllegalStateException("record-broker.identity.soap-callers: certificate subject "
                                + c.getCertificateSubject() + " given to two callers");
                    }
                }
            }
        }
    }

    /**
     * The same name with its RDNs in the other order: Java prints a subject last RDN first (RFC 2253), OpenSSL first
     * RDN first; a configured subject is matched in either order.
     */
    static String reversed(String subject) {
        try {
            java.util.List<javax.naming.ldap.Rdn> rdns = new java.util.ArrayList<>(
                    new javax.naming.ldap.LdapName(subject.replaceAll("\\s*=\\s*", "=")).getRdns());
            java.util.Collections.reverse(rdns);
            return new javax.naming.ldap.LdapName(rdns).toString();
        } catch (javax.naming.InvalidNameException e) {
            throw new IllegalStateException("record-broker.identity.soap-callers: " + subject
                    + " is not a distinguished name", e);
        }
    }

    /** An X.500 name in one comparable form (RFC 2253 canonical: case, spacing and encoding folded). */
    static String canonical(String subject) {
        return new X500Principal(subject).getName(X500Principal.CANONICAL);
    }

    /** The caller of a client certificate's subject (its DN as given by the TLS stack). */
    public UserDetails bySubject(String subjectDn) {
        Caller caller = bySubject.get(canonical(subjectDn));
        if (caller == null) {
            throw new UsernameNotFoundException("no SOAP caller has this certificate subject");
        }
        return User.withUsername(caller.name()).password("").authorities(ROLE).build();
    }

    /** HTTP Basic against the callers' SHA-256 secret hashes, in constant time (sandbox, or when enabled). */
    public AuthenticationProvider basic() {
        return new AuthenticationProvider() {
            @Override
            public org.springframework.security.core.Authentication authenticate(
                    org.springframework.security.core.Authentication authentication) {
                String name = authentication.getName();
                Object credentials = authentication.getCredentials();
                Caller caller = byName.get(name);
                byte[] expected = caller == null || caller.secretHash() == null ? null : caller.secretHash();
                byte[] given = sha256(credentials == null ? "" : credentials.toString());
                // compare even for an unknown name, so that timing does not tell which names exist
                boolean match = MessageDigest.isEqual(expected == null ? new byte[32] : expected, given);
                if (!match || expected == null) {
                    throw new BadCredentialsException("not a registered SOAP caller");
                }
                return UsernamePasswordAuthenticationToken.authenticated(name, null,
                        AuthorityUtils.createAuthorityList(ROLE));
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }

    /**
     * Whether {@code client} may speak for the request's author. A request naming nobody is left to the gate (it
     * answers UNAUTHENTICATED); an unknown client speaks for nobody.
     */
    public boolean speaksFor(String client, RequestType request, Professional acting) {
        Caller caller = client == null ? null : byName.get(client);
        if (caller == null) {
            return false;
        }
        IdentityProperties.SpeaksFor rules = caller.speaksFor();
        if (acting.isPatient()) {
            return rules.isAnyProfessional()
                    || acting.ssin() != null && rules.getPatients().contains(acting.ssin().value());
        }
        if (rules.isAnyProfessional()) {
            return true;
        }
        Set<String> professions = rules.getProfessions().stream().map(p -> p.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        if (acting.profession() != null && professions.contains(acting.profession().toLowerCase(Locale.ROOT))) {
            return true;
        }
        String institution = rules.getInstitutionNihii() == null ? "" : digits(rules.getInstitutionNihii());
        // an institution's NIHII: 8 digits, then a 3-digit qualification code that may or may not be given
        return institution.length() >= 8 && institutionOf(request)
                .map(n -> digits(n).startsWith(institution.substring(0, 8)))
                .orElse(false);
    }

    /** The NIHII of the first organisation ({@code org...}) among the request's author parties. */
    static Optional<String> institutionOf(RequestType request) {
        if (request == null || request.getAuthor() == null) {
            return Optional.empty();
        }
        for (HcpartyType party : request.getAuthor().getHcparty()) {
            if (Kmehr.cdOf(party).map(cd -> cd.startsWith("org")).orElse(false)) {
                Optional<String> nihii = Kmehr.idOf(party, IDHCPARTYschemes.ID_HCPARTY);
                if (nihii.isPresent()) {
                    return nihii;
                }
            }
        }
        return Optional.empty();
    }

    private static String digits(String s) {
        return s.replaceAll("\\D", "");
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
