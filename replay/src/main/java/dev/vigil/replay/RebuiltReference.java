package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertType;
import java.nio.file.Path;
import java.time.Clock;

/** Told when a local reference could not be opened and was discarded to be rebuilt. */
@FunctionalInterface
public interface RebuiltReference {
    /** The reference of {@code partition} in {@code directory} could not be opened, {@code why}. */
    void discarded(PartitionId partition, Path directory, String why);

    /** Raises {@code REFERENCE_REBUILT} for each discarded reference. */
    static RebuiltReference raisingAlerts(AlertPublisher alerts, Clock clock) {
        return (partition, directory, why) -> alerts.raise(Alert.of(AlertType.REFERENCE_REBUILT, clock.instant())
                .partition(partition)
                .key(AlertType.REFERENCE_REBUILT + "|" + partition + "|" + directory)
                .message("the reference of partition " + partition + " in " + directory + " could not be opened ("
                        + why + "); it was discarded and is being rebuilt from the newest snapshot, or by"
                        + " replaying the archive")
                .action("nothing, unless it happens again: then check the work directory's disk (free space, the"
                        + " kernel log) and that no other process uses the same work-dir (its lock names the"
                        + " holder); the archive is untouched")
                .detail("directory", directory.toString())
                .build());
    }
}
