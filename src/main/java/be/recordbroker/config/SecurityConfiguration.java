package be.recordbroker.config;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationProvider;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.core.userdetails.UserDetailsByNameServiceWrapper;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher;

import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.security.AllHeadersChecked;
import be.recordbroker.security.BearerTokenDecoders;
import be.recordbroker.security.CallerJwtConverter;
import be.recordbroker.security.HeaderText;
import be.recordbroker.security.IdentityProperties;
import be.recordbroker.security.ManagementServer;
import be.recordbroker.security.OpsProperties;
import be.recordbroker.security.ProblemAnswers;
import be.recordbroker.security.SoapCallerRegistry;

/**
 * Spring Security on every HTTP face (issue 12), one filter chain each, tried in this order:
 * <ol>
 * <li>the management server (actuator, admin; {@link ManagementServer}): HTTP Basic, role {@code ops}, users from
 * {@code record-broker.ops.users} (bcrypt); only {@code /actuator/health/liveness} and {@code /readiness} are open;</li>
 * <li>REST and FHIR ({@code /api/**}, {@code /fhir/**}): OAuth2 resource server, bearer JWT
 * ({@link BearerTokenDecoders}, {@link CallerJwtConverter});</li>
 * <li>SOAP ({@code cxf.path}): a registered caller's client certificate (mutual TLS), or in the sandbox (or where
 * enabled) HTTP Basic with its secret; the WSDL and XSDs stay public;</li>
 * <li>everything else (the sandbox's own pages, errors): open.</li>
 * </ol>
 * No sessions, no CSRF tokens (no browser sessions, every call carries its credentials); Spring Security's default
 * headers ({@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff}, ...) on every answer.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(OpsProperties.class)
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * No observation of Spring Security's own steps (its filter chain, authentications, authorizations): the
     * {@code management.observations.enable.spring.security: false} of application.yaml only made them no-ops, while
     * the decorator still wrapped each of a chain's ~12 filters in a no-op observation on every request (the broker's
     * and, in the sandbox, each hub call's). The request stays observed as a whole ({@code http.server.requests}).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's strict firewall, its header rule tested without a regex ({@link HeaderText}: the same rule,
     * cheaper on the bearer token each request reads several times); its refusals are 400 problems, or SOAP faults on
     * the SOAP face's paths.
     */
    @Bean
    WebSecurityCustomizer strictFirewall(ProblemAnswers answers, @Value("${cxf.path:/services}") String cxfPath) {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderText::allowedName);
        firewall.setAllowedHeaderValues(HeaderText::allowedValue);
        return web -> web.httpFirewall(firewall).requestRejectedHandler(answers.rejected(cxfPath));
    }

    @Bean
    static ManagementServer managementServer() {
        return new ManagementServer();
    }

    @Bean
    ProblemAnswers problemAnswers(MeterRegistry registry, ObjectMapper json) {
        return new ProblemAnswers(registry, json);
    }

    @Bean
    SoapCallerRegistry soapCallerRegistry(IdentityProperties identity) {
        return new SoapCallerRegistry(identity.getSoapCallers());
    }

    /** The bearer-token decoder; without a key set outside prod, one that refuses every token (with a warning). */
    @Bean
    public JwtDecoder bearerTokenDecoder(IdentityProperties identity, LocalServerAddress addresses, Environment environment) {
        boolean prod = environment.acceptsProfiles(Profiles.of("prod"));
        List<String> missing = new java.util.ArrayList<>();
        if (blank(identity.getJwksUrl())) {
            missing.add("record-broker.identity.jwks-url (RECORD_BROKER_JWKS_URL)");
        }
        if (blank(identity.getIssuer())) {
            missing.add("record-broker.identity.issuer (RECORD_BROKER_TOKEN_ISSUER)");
        }
        if (blank(identity.getAudience())) {
            missing.add("record-broker.identity.audience (RECORD_BROKER_TOKEN_AUDIENCE)");
        }
        if (!missing.isEmpty()) {
            String what = String.join(", ", missing);
            if (prod) {
                throw new IllegalStateException("bearer tokens cannot be verified without " + what);
            }
            LOG.warn("{} not set: every REST bearer token will be refused (401)", what);
            return BearerTokenDecoders.refusingAll("bearer tokens cannot be verified here: the broker has no "
                    + "complete identity provider configuration");
        }
        return BearerTokenDecoders.caching(BearerTokenDecoders.verifying(
                () -> addresses.resolve(identity.getJwksUrl()), identity.getIssuer(), identity.getAudience()),
                identity.getVerifiedTokenCacheTtl());
    }

    @Bean
    @Order(1)
    SecurityFilterChain managementChain(HttpSecurity http, ManagementServer management, OpsProperties ops,
                                        ProblemAnswers answers) throws Exception {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (OpsProperties.User user : ops.getUsers()) {
            users.createUser(opsUser(user));
        }
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(new BCryptPasswordEncoder());
        return stateless(http)
                .securityMatcher(management)
                .authenticationManager(new ProviderManager(provider))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(antMatcher("/actuator/health/liveness"),
                                antMatcher("/actuator/health/readiness")).permitAll()
                        .anyRequest().hasRole("ops"))
                .httpBasic(b -> b.authenticationEntryPoint(answers.problem("management",
                        "Basic realm=\"record-broker-ops\"")))
                .exceptionHandling(e -> e.authenticationEntryPoint(answers.problem("management",
                                "Basic realm=\"record-broker-ops\""))
                        .accessDeniedHandler(answers.forbidden()))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain restChain(HttpSecurity http, JwtDecoder decoder, ProblemAnswers answers,
                                  @Value("${record-broker.nihii-validation:lenient}") String nihiiValidation,
                                  org.springframework.beans.factory.ObjectProvider<ca.uhn.fhir.context.FhirContext> fhir)
            throws Exception {
        CallerJwtConverter converter = new CallerJwtConverter(
                NihiiValidation.valueOf(nihiiValidation.toUpperCase(Locale.ROOT)));
        return stateless(http)
                // path matchers, not MVC ones: the document servlet and CXF are servlets of their own
                .securityMatcher(new OrRequestMatcher(antMatcher("/api/**"), antMatcher("/fhir/**")))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint(bearerRefusals(answers, fhir)))
                .exceptionHandling(e -> e.authenticationEntryPoint(bearerRefusals(answers, fhir)))
                .build();
    }

    /** A 401 in the caller's language: an OperationOutcome on the FHIR face, problem+json on REST. */
    private static org.springframework.security.web.AuthenticationEntryPoint bearerRefusals(ProblemAnswers answers,
            org.springframework.beans.factory.ObjectProvider<ca.uhn.fhir.context.FhirContext> fhir) {
        java.util.LinkedHashMap<RequestMatcher, org.springframework.security.web.AuthenticationEntryPoint> byFace =
                new java.util.LinkedHashMap<>();
        byFace.put(antMatcher("/fhir/**"), answers.counted("fhir", be.recordbroker.fhir.FhirOutcomes.unauthenticated(
                () -> fhir.getIfAvailable(ca.uhn.fhir.context.FhirContext::forR4Cached))));
        org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint refusals =
                new org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint(byFace);
        refusals.setDefaultEntryPoint(answers.problem("rest", "Bearer"));
        return refusals;
    }

    @Bean
    @Order(3)
    SecurityFilterChain soapChain(HttpSecurity http, SoapCallerRegistry callers, IdentityProperties identity,
                                  ProblemAnswers answers, Environment environment,
                                  @Value("${cxf.path:/services}") String cxfPath) throws Exception {
        boolean basic = identity.isSoapBasicAuth() || environment.acceptsProfiles(Profiles.of("sandbox"));
        PreAuthenticatedAuthenticationProvider certificates = new PreAuthenticatedAuthenticationProvider();
        certificates.setPreAuthenticatedUserDetailsService(
                new UserDetailsByNameServiceWrapper<PreAuthenticatedAuthenticationToken>(callers::bySubject));
        ProviderManager manager = basic ? new ProviderManager(certificates, callers.basic())
                : new ProviderManager(certificates);
        RequestMatcher contract = request -> "GET".equals(request.getMethod()) && isContract(request.getQueryString());
        stateless(http)
                .securityMatcher(antMatcher(cxfPath + "/**"))
                .authenticationManager(manager)
                .authorizeHttpRequests(a -> a.requestMatchers(contract).permitAll()
                        .anyRequest().hasAuthority(SoapCallerRegistry.ROLE))
                .x509(x -> x.x509PrincipalExtractor(cert -> cert.getSubjectX500Principal().getName())
                        .authenticationUserDetailsService(
                                new UserDetailsByNameServiceWrapper<>(callers::bySubject)))
                .exceptionHandling(e -> e.authenticationEntryPoint(answers.soapFault(basic)));
        if (basic) {
            http.httpBasic(b -> b.authenticationEntryPoint(answers.soapFault(true)));
        }
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain openChain(HttpSecurity http) throws Exception {
        return stateless(http)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.addFilterBefore(new AllHeadersChecked(), SecurityContextHolderFilter.class)
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable())
                .anonymous(a -> { })
                .formLogin(f -> f.disable())
                .logout(l -> l.disable());
    }

    private static UserDetails opsUser(OpsProperties.User user) {
        if (blank(user.getName()) || blank(user.getPassword())) {
            throw new IllegalStateException("record-broker.ops.users: every user needs a name and a bcrypt password");
        }
        String hash = user.getPassword().startsWith("{bcrypt}") ? user.getPassword().substring(8) : user.getPassword();
        if (!hash.matches("\\$2[aby]?\\$\\d\\d\\$.{53}")) {
            throw new IllegalStateException("record-broker.ops.users: the password of " + user.getName()
                    + " is not a bcrypt hash (never give an ops password in clear)");
        }
        return User.withUsername(user.getName()).password(hash)
                .roles(user.getRoles().toArray(String[]::new)).build();
    }

    static boolean isContract(String query) {
        if (query == null) {
            return false;
        }
        String q = query.toLowerCase(Locale.ROOT);
        return q.equals("wsdl") || q.startsWith("wsdl=") || q.startsWith("xsd=");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
