package dev.vigil.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * A restore's progress as tests see it: every phase recorded; optionally the restoring thread interrupted (what the
 * CLI's SIGINT handler does) at the first phase or replayed LSN a condition picks.
 */
final class RecordingProgress implements RestoreProgress {

    final List<String> phases = new ArrayList<>();
    private final Predicate<String> interruptAtPhase;
    private final LongPredicate interruptAtLsn;

    private RecordingProgress(Predicate<String> interruptAtPhase, LongPredicate interruptAtLsn) {
        this.interruptAtPhase = interruptAtPhase;
        this.interruptAtLsn = interruptAtLsn;
    }

    static RecordingProgress recording() {
        return new RecordingProgress(phase -> false, lsn -> false);
    }

    static RecordingProgress interruptingAtPhase(Predicate<String> phase) {
        return new RecordingProgress(phase, lsn -> false);
    }

    static RecordingProgress interruptingAtLsn(LongPredicate lsn) {
        return new RecordingProgress(phase -> false, lsn);
    }

    @Override
    public void phase(String description) {
        phases.add(description);
        if (interruptAtPhase.test(description)) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void replayed(long from, long to, long lsn, long bytes) {
        if (interruptAtLsn.test(lsn)) {
            Thread.currentThread().interrupt();
        }
    }
}
