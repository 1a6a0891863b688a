package io.scrapeflux.config;

import java.util.regex.Pattern;

/**
 * Syntax checks for Kubernetes label and field selectors, so a typo fails at load time (as Prometheus's
 * kubernetes SD config does) instead of on every watch. The one implementation: the config loader reports
 * problems with their location, and Kubernetes discovery re-checks configs built in code with it.
 */
public final class KubernetesSelectors {

    /** A qualified name: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");
    private static final Pattern SET = Pattern.compile("^\\s*(\\S+)\\s+(in|notin)\\s*\\((.*)\\)\\s*$");
    /** A set requirement whose values are not in parentheses ({@code app in a}). */
    private static final Pattern SET_WITHOUT_PARENS = Pattern.compile("^\\s*\\S+\\s+(in|notin)(\\s.*)?$");

    private KubernetesSelectors() {
    }

    /** Null when {@code selector} is a valid label selector, else what is wrong (quoting the selector). */
    public static String labelSelectorProblem(String selector) {
        for (String req : splitRequirements(selector)) {
            String r = req.trim();
            if (r.isEmpty()) {
                return "empty requirement in label selector \"" + selector + "\"";
            }
            java.util.regex.Matcher set = SET.matcher(r);
            String problem;
            if (set.matches()) {
                problem = keyProblem(set.group(1));
                for (String v : set.group(3).split(",", -1)) {
                    if (problem == null && !VALUE.matcher(v.trim()).matches()) {
                        problem = "invalid label value \"" + v.trim() + "\"";
                    }
                }
            } else if (SET_WITHOUT_PARENS.matcher(r).matches()) {
                problem = "values of \"" + r + "\" must be in parentheses";
            } else if (r.startsWith("!")) {
                problem = keyProblem(r.substring(1).trim());
            } else {
                problem = operatorProblem(r, true);
            }
            if (problem != null) {
                return problem + " in label selector \"" + selector + "\"";
            }
        }
        return null;
    }

    /** Null when {@code selector} is a valid field selector ({@code a=b,c!=d}), else what is wrong. */
    public static String fieldSelectorProblem(String selector) {
        for (String req : selector.split(",", -1)) {
            String r = req.trim();
            String problem = r.isEmpty() ? "empty requirement" : operatorProblem(r, false);
            if (problem != null) {
                return problem + " in field selector \"" + selector + "\"";
            }
        }
        return null;
    }

    /** Whether {@code v} may be a label value in a selector (empty, or up to 63 characters of the allowed set). */
    public static boolean isLabelValue(String v) {
        return VALUE.matcher(v).matches();
    }

    private static String operatorProblem(String r, boolean labels) {
        String[] ops = labels ? new String[] {"!=", "==", "=", ">", "<"} : new String[] {"!=", "==", "="};
        for (String op : ops) {
            int i = r.indexOf(op);
            if (i > 0) {
                String key = r.substring(0, i).trim();
                String value = r.substring(i + op.length()).trim();
                if (!labels) {
                    return key.isEmpty() ? "missing field name" : null;
                }
                String problem = keyProblem(key);
                if (problem != null) {
                    return problem;
                }
                if ((op.equals(">") || op.equals("<")) && !value.matches("-?[0-9]+")) {
                    return "value \"" + value + "\" for " + op + " must be an integer";
                }
                return VALUE.matcher(value).matches() ? null : "invalid label value \"" + value + "\"";
            }
        }
        return labels ? keyProblem(r) : "expected field=value or field!=value, got \"" + r + "\"";
    }

    private static String keyProblem(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
                return "invalid label key prefix \"" + prefix + "\"";
            }
        }
        return NAME.matcher(name).matches() ? null : "invalid label key \"" + key + "\"";
    }

    /** Splits on commas outside {@code ( )}, as set requirements hold commas. */
    private static java.util.List<String> splitRequirements(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
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
