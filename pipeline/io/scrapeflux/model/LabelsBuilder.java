package io.scrapeflux.model;

import java.util.Arrays;

/**
 * Mutable companion of {@link Labels}: set, delete, read, then {@link #build()}.
 *
 * <p>Kept sorted at all times (insertion by binary search) because label sets are small and relabel
 * rules read as often as they write. Setting an empty value deletes the label, as Prometheus does.
 *
 * <p>Copy-on-write: after {@link #reset(Labels)} the builder reads the label set's own array and copies it
 * (into storage it keeps between resets) only on the first change. {@link #build()} returns the original
 * instance when nothing changed, so resetting a reused builder and running rules that change nothing
 * allocates nothing.
 */
public final class LabelsBuilder {

    private static final String[] NONE = new String[0];

    private Labels base;
    /** Current pairs: either {@code base}'s array (while {@link #shared}) or {@link #own}. */
    private String[] kv;
    /** Storage owned by this builder, reused across resets. */
    private String[] own;
    private boolean shared;
    private int size;
    private boolean dirty;

    LabelsBuilder(int capacity) {
        this.own = new String[Math.max(4, capacity * 2)];
        this.kv = own;
        this.base = null;
        this.dirty = true;
    }

    LabelsBuilder(Labels base) {
        this.own = NONE;
        reset(base);
    }

    public static LabelsBuilder of(Labels base) {
        return new LabelsBuilder(base);
    }

    /** Starts over from {@code labels}, reusing this builder's storage; copies nothing until a change. */
    public LabelsBuilder reset(Labels labels) {
        if (!shared && size > 0) {
            Arrays.fill(own, 0, size << 1, null); // do not keep the previous label set's strings alive
        }
        kv = labels.raw();
        shared = true;
        size = kv.length >> 1;
        base = labels;
        dirty = false;
        return this;
    }

    public int size() {
        return size;
    }

    public String name(int i) {
        return kv[i << 1];
    }

    public String value(int i) {
        return kv[(i << 1) + 1];
    }

    /** Index of {@code name}, or {@code -(insertion point) - 1} when absent (as {@link Labels#indexOf}). */
    public int indexOf(String name) {
        String[] a = kv;
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = a[mid << 1].compareTo(name);
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

    /** The value of {@code name}, or {@code ""} when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i >= 0 ? kv[(i << 1) + 1] : "";
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** Sets {@code name} to {@code value}; an empty value deletes it. */
    public LabelsBuilder set(String name, String value) {
        if (value == null || value.isEmpty()) {
            return del(name);
        }
        int i = indexOf(name);
        if (i >= 0) {
            int vi = (i << 1) + 1;
            if (!kv[vi].equals(value)) {
                writable(size);
                kv[vi] = value;
                dirty = true;
            }
            return this;
        }
        int at = -(i + 1);
        writable(size + 1);
        System.arraycopy(kv, at << 1, kv, (at + 1) << 1, (size - at) << 1);
        kv[at << 1] = name;
        kv[(at << 1) + 1] = value;
        size++;
        dirty = true;
        return this;
    }

    public LabelsBuilder del(String name) {
        int i = indexOf(name);
        if (i >= 0) {
            removeAt(i);
        }
        return this;
    }

    /** Removes the label at index {@code i} (as seen by {@link #name(int)}). */
    public void removeAt(int i) {
        writable(size);
        System.arraycopy(kv, (i + 1) << 1, kv, i << 1, (size - i - 1) << 1);
        size--;
        kv[size << 1] = null;
        kv[(size << 1) + 1] = null;
        dirty = true;
    }

    /** Makes {@link #kv} this builder's own array with room for {@code pairs} labels. */
    private void writable(int pairs) {
        if (shared) {
            if (own.length < pairs << 1) {
                own = new String[Math.max(8, (pairs << 1) + 8)];
            }
            System.arraycopy(kv, 0, own, 0, size << 1);
            kv = own;
            shared = false;
        } else if (kv.length < pairs << 1) {
            own = Arrays.copyOf(kv, Math.max(8, kv.length * 2));
            kv = own;
        }
    }

    /** The label set as it stands; the original instance when nothing changed since {@link #reset}. */
    public Labels build() {
        if (!dirty && base != null) {
            return base;
        }
        Labels l = new Labels(Arrays.copyOf(kv, size << 1));
        base = l;
        dirty = false;
        return l;
    }
}
