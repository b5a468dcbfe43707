package dev.vigil.restore;

/** What a restore tells its caller as it goes (a terminal progress bar, or plain lines). Called on one thread. */
public interface RestoreProgress {

    /** A new phase begins, e.g. "loading snapshot at LSN 1200" or "replaying LSNs 1201..5000". */
    void phase(String description);

    /** Replay reached {@code lsn} of {@code [from, to]} having read {@code bytes} of archived WAL. */
    void replayed(long from, long to, long lsn, long bytes);

    RestoreProgress SILENT = new RestoreProgress() {
        @Override
        public void phase(String description) {}

        @Override
        public void replayed(long from, long to, long lsn, long bytes) {}
    };
}
