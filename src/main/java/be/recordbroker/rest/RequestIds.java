package be.recordbroker.rest;

import java.util.UUID;
import java.util.regex.Pattern;

/** The correlation id of a request: the caller's {@code X-Request-Id} when it is a sane token, else a new UUID. */
public final class RequestIds {

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    public static String of(String given) {
        return given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }
}
