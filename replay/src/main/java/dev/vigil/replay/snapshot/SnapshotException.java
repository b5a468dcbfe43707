package dev.vigil.replay.snapshot;

import dev.vigil.core.Errors;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertType;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot that cannot be used: its manifest or a file is missing, unreadable, or does not match; or, as a
 * {@link SnapshotMismatchException}, one that was not published because it does not match the judged state.
 */
public sealed class SnapshotException extends IOException permits SnapshotMismatchException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public SnapshotException(String key, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /**
     * What to do with a snapshot that could not be used: raise {@code SNAPSHOT_CORRUPT} naming the object, once per
     * object within the dispatcher's dedup window (the build or restore that met it has already fallen back); or, for a
     * merged snapshot that was not published because it disagrees with the judged state, {@code SNAPSHOT_MISMATCH}.
     */
    public static Consumer<SnapshotException> raisingAlerts(AlertPublisher alerts, Clock clock) {
        return bad -> alerts.raise(alert(bad, clock));
    }

    private static Alert alert(SnapshotException bad, Clock clock) {
        if (bad instanceof SnapshotMismatchException) {
            return Alert.of(AlertType.SNAPSHOT_MISMATCH, clock.instant())
                    .message(Errors.message(bad))
                    .action("Nothing was published. The archive and the judge's reference disagree about this LSN:"
                            + " run vigil verify archive --partition on the partition, then vigil build-reference"
                            + " --to-lsn at the LSN with an empty --work-dir; the one whose digest differs is wrong."
                            + " A reference that is wrong is rebuilt by deleting its directory under the work dir.")
                    .key("SNAPSHOT_MISMATCH|" + bad.key())
                    .detail("snapshot", bad.key())
                    .build();
        }
        return Alert.of(AlertType.SNAPSHOT_CORRUPT, clock.instant())
                .message(Errors.message(bad))
                .action("Vigil fell back to an older snapshot or a replay from the start. Delete the snapshot's"
                        + " prefix (manifest first) so the next build writes a good one, and check the bucket for other"
                        + " damage (vigil verify archive --sample 100%).")
                .key("SNAPSHOT_CORRUPT|" + bad.key())
                .detail("object", bad.key())
                .build();
    }

    /** The object that is missing or bad. */
    public String key() {
        return key;
    }
}
