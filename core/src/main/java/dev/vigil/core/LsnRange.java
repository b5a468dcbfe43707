package dev.vigil.core;

/** An inclusive range of LSNs, {@code first <= last}. */
public record LsnRange(long first, long last) implements Comparable<LsnRange> {

    public LsnRange {
        Lsn.requireValid(first, "first LSN");
        Lsn.requireValid(last, "last LSN");
        if (last < first) {
            throw new IllegalArgumentException("LSN range is empty: first " + first + " > last " + last);
        }
    }

    public long count() {
        return last - first + 1;
    }

    public boolean contains(long lsn) {
        return lsn >= first && lsn <= last;
    }

    @Override
    public int compareTo(LsnRange other) {
        int byFirst = Long.compare(first, other.first);
        return byFirst != 0 ? byFirst : Long.compare(last, other.last);
    }

    @Override
    public String toString() {
        return "[" + first + ".." + last + "]";
    }
}
