package be.recordbroker.admission;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Admission control in front of a servlet face: the request holds a place of its {@link Admission} lane while the
 * servlet runs (a streamed document until its last byte); a refused one gets {@code 503}, {@code Retry-After} and a
 * body the face writes ({@link Refusal}: problem+json for REST, an OperationOutcome for FHIR).
 *
 * <p>Where it stands: after Spring Security's chain (a {@code FilterRegistrationBean} with a later order), every request
 * that reaches it is authenticated. Before the chain (the REST face: {@link #bearerCallers}), a refusal costs no token
 * check, no firewall, no route — under overload most answers are refusals, and what they cost is taken from the
 * searches admitted (docs/search.md "Admission control"); only a request that offers a bearer token takes a place (the
 * chain then authenticates it as ever), so a caller without credentials still gets nothing but 401, and one with a
 * bad token 401 or, while the lane is full, 503. The request admitted carries {@link #ADMITTED} (the lane), so a route
 * behind it does not queue it a second time.
 *
 * <p>Held refusals (given a scheduler): a request refused because the queue was full is answered when a queued one
 * would have given up — after the lane's queue timeout — holding no thread meanwhile (a Servlet async request whose
 * answer is written on the request's thread and sent later). A closed-loop caller that ignores {@code Retry-After}
 * then sends one request per queue timeout instead of one per round trip: refusals sent back at once take the CPU
 * from the searches admitted in proportion to the callers refused, however cheap each is (docs/search.md). At most
 * {@link #MAX_HELD} are held; beyond, the answer goes at once.
 */
public class AdmissionFilter implements Filter {

    /** Request attribute: the lane ({@link Admission#lane()}) whose place this request holds. */
    public static final String ADMITTED = AdmissionFilter.class.getName() + ".lane";

    /** Held refusals at most (each an idle connection; Tomcat accepts 8,192): beyond, refusals are answered at once. */
    public static final int MAX_HELD = 4096;

    private static final Pattern BEARER = Pattern.compile("(?i)bearer .*");

    /** Writes the face's refusal body; the status and {@code Retry-After} are already set. */
    @FunctionalInterface
    public interface Refusal {
        void write(HttpServletRequest request, HttpServletResponse response, Admission.Overloaded overloaded)
                throws IOException;
    }

    private final Admission admission;
    private final String face;
    private final Refusal refusal;
    private final Predicate<HttpServletRequest> takesAPlace;
    /** Sends held refusals; null: every refusal is answered at once. */
    private final ScheduledExecutorService heldRefusals;
    private final AtomicInteger held = new AtomicInteger();

    /**
     * Every request takes a place (behind Spring Security's chain); refusals answered at once.
     *
     * @param face the metric label: a fixed word
     */
    public AdmissionFilter(Admission admission, String face, Refusal refusal) {
        this(admission, face, refusal, request -> true, null);
    }

    /**
     * @param face         the metric label: a fixed word ({@code rest}, {@code fhir})
     * @param takesAPlace  which requests take a place; the others pass untouched
     * @param heldRefusals sends the refusals held for the queue timeout; null: none is held
     */
    public AdmissionFilter(Admission admission, String face, Refusal refusal, Predicate<HttpServletRequest> takesAPlace,
                           ScheduledExecutorService heldRefusals) {
        this.admission = admission;
        this.face = face;
        this.refusal = refusal;
        this.takesAPlace = takesAPlace;
        this.heldRefusals = heldRefusals;
    }

    /** Requests that offer a bearer token (as Spring Security reads it: {@code Authorization: Bearer ...}). */
    public static Predicate<HttpServletRequest> bearerCallers() {
        return request -> {
            String authorization = request.getHeader("Authorization");
            return authorization != null && BEARER.matcher(authorization).matches();
        };
    }

    /** Requests whose path (after the context path) matches {@code regex} whole. */
    public static Predicate<HttpServletRequest> path(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return request -> pattern.matcher(request.getRequestURI().substring(request.getContextPath().length()))
                .matches();
    }

    /**
     * Whether the request this thread serves (Spring's {@code RequestContextHolder}: a route run on the request's own
     * thread, as the REST face's are) already holds a place of {@code lane}, taken by a filter in front.
     */
    public static boolean admittedOnThisThread(Admission lane) {
        org.springframework.web.context.request.RequestAttributes attributes =
                org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
        return attributes != null && lane.lane().equals(attributes.getAttribute(ADMITTED,
                org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST));
    }

    /** Whether this request already holds a place of {@code lane} (taken by a filter in front). */
    public static boolean admitted(ServletRequest request, Admission lane) {
        return request != null && lane.lane().equals(request.getAttribute(ADMITTED));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest httpRequest) || !takesAPlace.test(httpRequest)
                || admitted(request, admission)) {
            chain.doFilter(request, response);
            return;
        }
        Admission.Permit permit;
        try {
            permit = admission.enter(face);
        } catch (Admission.Overloaded overloaded) {
            refuse(httpRequest, (HttpServletResponse) response, overloaded);
            return;
        }
        try (permit) {
            request.setAttribute(ADMITTED, admission.lane());
            chain.doFilter(request, response);
        } finally {
            request.removeAttribute(ADMITTED);
        }
    }

    /** 503 with Retry-After and the face's body, written here (this request's ids); sent now or after the hold. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, Admission.Overloaded overloaded)
            throws IOException {
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        answer.setStatus(503);
        answer.setHeader("Retry-After", Long.toString(overloaded.retryAfterSeconds()));
        refusal.write(request, answer, overloaded);
        long holdMs = admission.queueTimeout().toMillis();
        boolean hold = heldRefusals != null && overloaded.queueFull() && holdMs > 0 && request.isAsyncSupported();
        if (hold && held.incrementAndGet() > MAX_HELD) {
            held.decrementAndGet();
            hold = false;
        }
        if (!hold) {
            answer.copyBodyToResponse();
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(holdMs + 30_000); // a safety net only: the scheduler completes it
        try {
            heldRefusals.schedule(() -> send(answer, async), holdMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            send(answer, async);
        }
    }

    private void send(ContentCachingResponseWrapper answer, AsyncContext async) {
        try {
            answer.copyBodyToResponse();
        } catch (IOException | RuntimeException gone) { // the caller has hung up: nothing to answer
        } finally {
            held.decrementAndGet();
            async.complete();
        }
    }
}
