package be.recordbroker.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The correlation id of a request: the caller's {@code X-Request-Id} when it is a sane token, else a new UUID. */
public final class RequestIds {

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    public static String of(String given) {
        return given != null && SANE.matcher(given).matches() ? given : newId();
    }

    /**
     * A new random (version 4) UUID from {@link ThreadLocalRandom}. A correlation id needs to be unique, not
     * unguessable; {@link UUID#randomUUID()} draws from the JDK's one SecureRandom, whose lock every request thread
     * queued on under load (seen in the search benchmark).
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;                        // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
