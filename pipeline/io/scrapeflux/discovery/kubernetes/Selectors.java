package io.scrapeflux.discovery.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parsing and checking of Kubernetes label and field selector strings, as the API server reads them. */
final class Selectors {

    /** One {@code field=value} or {@code field!=value} term of a field selector. */
    record FieldRequirement(String field, boolean equal, String value) {
    }

    private static final Pattern LABEL_KEY =
            Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                    + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    private Selectors() {
    }

    /** Terms of a field selector ({@code a=b,c!=d}; {@code ==} is accepted for {@code =}). */
    static List<FieldRequirement> parseFieldSelector(String selector) {
        List<FieldRequirement> out = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return out;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            int ne = t.indexOf("!=");
            int eq = t.indexOf('=');
            if (ne > 0) {
                out.add(new FieldRequirement(t.substring(0, ne).trim(), false, t.substring(ne + 2).trim()));
            } else if (eq > 0) {
                int valueAt = t.startsWith("==", eq) ? eq + 2 : eq + 1;
                out.add(new FieldRequirement(t.substring(0, eq).trim(), true, t.substring(valueAt).trim()));
            } else {
                throw new IllegalArgumentException("invalid field selector term \"" + t + "\": expected field=value "
                        + "or field!=value");
            }
        }
        return out;
    }

    /** Null when {@code selector} is a valid label selector, else what is wrong with it. */
    static String labelSelectorError(String selector) {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        for (String req : splitTopLevel(selector)) {
            String r = req.trim();
            String err = requirementError(r);
            if (err != null) {
                return "invalid label selector \"" + selector + "\": " + err;
            }
        }
        return null;
    }

    /** Null when {@code selector} is a valid field selector, else what is wrong with it. */
    static String fieldSelectorError(String selector) {
        try {
            parseFieldSelector(selector);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static boolean isLabelValue(String v) {
        return v.length() <= 63 && LABEL_VALUE.matcher(v).matches();
    }

    private static String requirementError(String r) {
        if (r.isEmpty()) {
            return "empty requirement";
        }
        String[] setOps = {" notin ", " in "};
        for (String op : setOps) {
            int i = r.indexOf(op);
            if (i > 0) {
                String values = r.substring(i + op.length()).trim();
                if (!values.startsWith("(") || !values.endsWith(")")) {
                    return "values of \"" + r + "\" must be in parentheses";
                }
                for (String v : values.substring(1, values.length() - 1).split(",")) {
                    if (!isLabelValue(v.trim())) {
                        return "invalid value \"" + v.trim() + "\"";
                    }
                }
                return keyError(r.substring(0, i).trim());
            }
        }
        for (String op : new String[] {"!=", "==", "=", ">", "<"}) {
            int i = r.indexOf(op);
            if (i > 0) {
                String v = r.substring(i + op.length()).trim();
                if ((op.equals(">") || op.equals("<")) && !v.matches("-?[0-9]+")) {
                    return "value of \"" + r + "\" must be an integer";
                }
                if (!isLabelValue(v)) {
                    return "invalid value \"" + v + "\"";
                }
                return keyError(r.substring(0, i).trim());
            }
        }
        return keyError(r.startsWith("!") ? r.substring(1).trim() : r);
    }

    private static String keyError(String key) {
        return LABEL_KEY.matcher(key).matches() && key.length() <= 317 ? null : "invalid label key \"" + key + "\"";
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
