package io.scrapeflux.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by name, as Prometheus's {@code labels.Labels}.
 *
 * <p>Names and values sit in one flat array ({@code n0, v0, n1, v1, ...}) so that a label set is a
 * single allocation besides its strings, iteration is cache-friendly and comparison is a linear walk.
 * The hash is computed once, lazily. Names are unique; no value is empty (an empty value means the
 * label is absent, as in Prometheus).
 */
public final class Labels implements Comparable<Labels> {

    /** Label holding the metric name. */
    public static final String METRIC_NAME = "__name__";

    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] kv;
    private int hash;

    /** Takes ownership of {@code kv}, which must be sorted by name with unique names and no empty values. */
    Labels(String[] kv) {
        this.kv = kv;
    }

    /** Builds from alternating name/value pairs in any order; later duplicates win, empty values are dropped. */
    public static Labels of(String... nameValues) {
        if ((nameValues.length & 1) != 0) {
            throw new IllegalArgumentException("odd number of name/value strings: " + nameValues.length);
        }
        LabelsBuilder b = new LabelsBuilder(nameValues.length / 2);
        for (int i = 0; i < nameValues.length; i += 2) {
            b.set(nameValues[i], nameValues[i + 1]);
        }
        return b.build();
    }

    public static Labels fromMap(Map<String, String> map) {
        LabelsBuilder b = new LabelsBuilder(map.size());
        map.forEach(b::set);
        return b.build();
    }

    public static LabelsBuilder builder() {
        return new LabelsBuilder(8);
    }

    public LabelsBuilder toBuilder() {
        return new LabelsBuilder(this);
    }

    public int size() {
        return kv.length >> 1;
    }

    /**
     * The same labels with every name and value in its canonical instance ({@link String#intern()}), so
     * label sets kept for a long time (a scrape cache holds one per series) share their strings across
     * series and targets. The JVM drops canonical strings nobody references any more.
     */
    public Labels interned() {
        String[] c = new String[kv.length];
        for (int i = 0; i < kv.length; i++) {
            c[i] = kv[i].intern();
        }
        return new Labels(c);
    }

    public boolean isEmpty() {
        return kv.length == 0;
    }

    public String name(int i) {
        return kv[i << 1];
    }

    public String value(int i) {
        return kv[(i << 1) + 1];
    }

    /** Index of {@code name}, or a negative number if absent. Binary search: label sets are sorted. */
    public int indexOf(String name) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = kv[mid << 1].compareTo(name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** The value of {@code name}, or {@code ""} when absent (Prometheus's convention). */
    public String get(String name) {
        int i = indexOf(name);
        return i >= 0 ? kv[(i << 1) + 1] : "";
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < kv.length; i += 2) {
            action.accept(kv[i], kv[i + 1]);
        }
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>(size() * 2);
        forEach(m::put);
        return m;
    }

    /** Package-private view of the backing array for builders; never mutate. */
    String[] raw() {
        return kv;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Labels other)) {
            return false;
        }
        if (hash != 0 && other.hash != 0 && hash != other.hash) {
            return false;
        }
        return Arrays.equals(kv, other.kv);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(kv);
            if (h == 0) {
                h = 1;
            }
            hash = h;
        }
        return h;
    }

    /** Orders as Prometheus's {@code labels.Compare}: pairwise by name, then value, shorter set first. */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(kv.length, o.kv.length);
        for (int i = 0; i < n; i++) {
            int c = kv[i].compareTo(o.kv[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(kv.length, o.kv.length);
    }

    /** Prometheus's rendering: {@code {a="1", b="2"}} with Go-style quoting of values. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kv.length * 8 + 2).append('{');
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(kv[i]).append('=');
            appendQuoted(sb, kv[i + 1]);
        }
        return sb.append('}').toString();
    }

    static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }
}
