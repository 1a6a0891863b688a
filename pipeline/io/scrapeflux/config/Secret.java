package io.scrapeflux.config;

/** A secret string (password, token, key). Prints as {@code <secret>} everywhere; only {@link #reveal()} gives the value. */
public final class Secret {
    public static final String MASK = "<secret>";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    /** The plain value, for the one place that must send it (an HTTP header, a TLS key). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
