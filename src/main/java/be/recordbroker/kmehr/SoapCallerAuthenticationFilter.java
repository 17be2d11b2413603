package be.recordbroker.kmehr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Transport-level authentication of the SOAP face: a caller (a hub, registered software) sends HTTP Basic
 * credentials, over TLS in production, checked against the configured callers' SHA-256 secret hashes in constant
 * time. Only then is the request's {@code author/hcparty} believed. The WSDL and XSDs ({@code GET ?wsdl}, {@code ?xsd})
 * are public. A refused call gets HTTP 401 with a SOAP fault, before any XML is read; the authenticated caller's
 * name is left in the request attribute {@link #CALLER_ATTRIBUTE}.
 */
public class SoapCallerAuthenticationFilter extends OncePerRequestFilter {

    public static final String CALLER_ATTRIBUTE = "record-broker.soap-caller";

    private static final Logger LOG = LoggerFactory.getLogger(SoapCallerAuthenticationFilter.class);

    private final Map<String, byte[]> secretHashes;

    /** @param callers caller name → SHA-256 of its secret, hex */
    public SoapCallerAuthenticationFilter(Map<String, String> callers) {
        this.secretHashes = callers.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> HexFormat.of().parseHex(e.getValue().strip().toLowerCase(Locale.ROOT))));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("GET".equals(request.getMethod()) && isContractRequest(request.getQueryString())) {
            chain.doFilter(request, response);
            return;
        }
        String caller = authenticated(request.getHeader("Authorization"));
        if (caller == null) {
            LOG.warn("SOAP call refused: no valid caller credentials ({} {})", request.getMethod(), request.getRequestURI());
            refuse(response);
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    private static boolean isContractRequest(String query) {
        if (query == null) {
            return false;
        }
        String q = query.toLowerCase(Locale.ROOT);
        return q.equals("wsdl") || q.startsWith("wsdl=") || q.startsWith("xsd=");
    }

    private String authenticated(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || authorization.length() > 1024) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String name = decoded.substring(0, colon);
        byte[] expected = secretHashes.get(name);
        byte[] given = sha256(decoded.substring(colon + 1));
        // Compare even for an unknown name, so that timing does not tell which names exist.
        boolean match = MessageDigest.isEqual(expected == null ? new byte[32] : expected, given);
        return match && expected != null ? name : null;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Basic realm=\"record-broker\"");
        response.setContentType("text/xml;charset=UTF-8");
        response.getWriter().write("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>UNAUTHENTICATED: the SOAP face needs"
                + " the credentials of a registered caller</faultstring></soap:Fault></soap:Body></soap:Envelope>");
    }
}
