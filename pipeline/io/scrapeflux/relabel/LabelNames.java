package io.scrapeflux.relabel;

import io.scrapeflux.config.NameValidationScheme;

/** Label-name validity under each {@code metric_name_validation_scheme}, as Prometheus 3 checks it. */
public final class LabelNames {

    private LabelNames() {
    }

    public static boolean isValid(String name, NameValidationScheme scheme) {
        return scheme == NameValidationScheme.LEGACY ? isValidLegacy(name) : isValidUtf8(name);
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static boolean isValidLegacy(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Any non-empty string that is valid UTF-8, i.e. has no unpaired surrogate. */
    public static boolean isValidUtf8(String name) {
        return !name.isEmpty() && isWellFormed(name);
    }

    /** Whether {@code s} encodes to valid UTF-8 (Prometheus's label-value check). */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }
}
