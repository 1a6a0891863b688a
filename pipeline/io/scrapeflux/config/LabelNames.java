package io.scrapeflux.config;

import java.util.regex.Pattern;

/** Label name rules of Prometheus 3 under each {@link NameValidationScheme}. */
public final class LabelNames {

    private static final Pattern LEGACY = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    /** A legacy label name that may contain {@code $1} / {@code ${name}} template references. */
    private static final Pattern LEGACY_WITH_TEMPLATE = Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

    private LabelNames() {
    }

    /** utf8: any non-empty well-formed UTF-8 string; legacy: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static boolean isValid(String name, NameValidationScheme scheme) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        return scheme == NameValidationScheme.LEGACY ? LEGACY.matcher(name).matches() : isWellFormed(name);
    }

    /** As {@link #isValid} but allowing regex template references ({@code $1}, {@code ${1}}), as a relabel
     * {@code target_label} or labelmap {@code replacement} may. */
    public static boolean isValidTemplate(String name, NameValidationScheme scheme) {
        if (scheme == NameValidationScheme.LEGACY) {
            return name != null && LEGACY_WITH_TEMPLATE.matcher(name).matches();
        }
        return isValid(name, scheme);
    }

    /** A label value is valid when it is well-formed UTF-8 (Java strings: no lone surrogates). */
    public static boolean isValidValue(String value) {
        return value != null && isWellFormed(value);
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
