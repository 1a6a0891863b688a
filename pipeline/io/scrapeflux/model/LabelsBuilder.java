package io.scrapeflux.model;

import java.util.Arrays;

/**
 * Mutable companion of {@link Labels}: set, delete, read, then {@link #build()}.
 *
 * <p>Kept sorted at all times (insertion by binary search) because label sets are small and relabel
 * rules read as often as they write. Setting an empty value deletes the label, as Prometheus does.
 * {@link #build()} returns the original instance when nothing changed, so a rule chain that changes
 * nothing allocates nothing.
 */
public final class LabelsBuilder {

    private Labels base;
    private String[] kv;
    private int size;
    private boolean dirty;

    LabelsBuilder(int capacity) {
        this.kv = new String[Math.max(4, capacity * 2)];
        this.base = null;
        this.dirty = true;
    }

    LabelsBuilder(Labels base) {
        reset(base);
    }

    public static LabelsBuilder of(Labels base) {
        return new LabelsBuilder(base);
    }

    /** Starts over from {@code labels}, reusing this builder's storage. */
    public LabelsBuilder reset(Labels labels) {
        String[] raw = labels.raw();
        int old = size << 1;
        if (kv == null || kv.length < raw.length) {
            kv = new String[Math.max(8, raw.length + 8)];
        }
        System.arraycopy(raw, 0, kv, 0, raw.length);
        if (old > raw.length) {
            Arrays.fill(kv, raw.length, old, null);
        }
        size = raw.length >> 1;
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

    private int indexOf(String name) {
        int lo = 0;
        int hi = size - 1;
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
                kv[vi] = value;
                dirty = true;
            }
            return this;
        }
        int at = -(i + 1);
        if ((size + 1) * 2 > kv.length) {
            kv = Arrays.copyOf(kv, kv.length * 2);
        }
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
        System.arraycopy(kv, (i + 1) << 1, kv, i << 1, (size - i - 1) << 1);
        size--;
        kv[size << 1] = null;
        kv[(size << 1) + 1] = null;
        dirty = true;
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
