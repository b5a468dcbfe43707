package dev.vigil.restore;

import java.time.Instant;

/** The point a restore reaches: an exact LSN, the last LSN at or before a time, or the end of the archive. */
public sealed interface RestoreTarget {

    record ToLsn(long lsn) implements RestoreTarget {
        public ToLsn {
            if (lsn < 1) {
                throw new IllegalArgumentException("a restore target LSN must be at least 1, was " + lsn);
            }
        }

        @Override
        public String toString() {
            return "LSN " + lsn;
        }
    }

    record ToTime(Instant time) implements RestoreTarget {
        @Override
        public String toString() {
            return "time " + time;
        }
    }

    record Latest() implements RestoreTarget {
        @Override
        public String toString() {
            return "the latest archived LSN";
        }
    }
}
