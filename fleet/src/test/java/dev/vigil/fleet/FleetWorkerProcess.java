package dev.vigil.fleet;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.FleetConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A worker in its own JVM, for {@link FleetFailureTest}: it verifies one partition by writing a marker and then hanging,
 * so that the test can SIGKILL it mid-task. Arguments: JDBC URL, marker file, partition.
 */
public final class FleetWorkerProcess {

    private FleetWorkerProcess() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path marker = Path.of(args[1]);
        PartitionId partition = PartitionId.of(args[2]);
        FleetConfig config = TestDatabase.fastConfig(url, 1, Duration.ofHours(1));
        FleetWork hanging = new FleetWork() {
            @Override
            public Set<PartitionId> partitions() {
                return Set.of(partition);
            }

            @Override
            public String verifyPartition(PartitionId p) throws Exception {
                Files.writeString(marker, p.value());
                Thread.sleep(Long.MAX_VALUE);
                return "never";
            }

            @Override
            public String verifyArchive(PartitionId p) {
                return "nothing archived";
            }

            @Override
            public String snapshotPartition(PartitionId p) {
                return "nothing new";
            }
        };
        Fleet.start(
                config,
                FleetDatabase.dataSource(config, Map.of()),
                "doomed",
                hanging,
                List.of(),
                Duration.ofSeconds(1),
                new SimpleMeterRegistry(),
                alert -> {},
                Clock.systemUTC());
        Thread.sleep(Long.MAX_VALUE);
    }
}
