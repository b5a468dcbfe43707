package dev.vigil.scrubber;

import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.ReplicaKeySource;
import dev.vigil.core.repository.ScrubReport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers drill-downs from the checkpoints this machine's scrubber retained: a report whose host is this
 * machine and whose checkpoint still exists. Thread safe.
 */
public final class RetainedCheckpoints implements ReplicaKeySource {

    private final ReplicaSource source;
    private final String host;

    public RetainedCheckpoints(ReplicaSource source) {
        this.source = source;
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "unknown";
        }
        this.host = name;
    }

    @Override
    public Optional<List<KeyHash>> keyHashes(ScrubReport report, Set<Integer> buckets, ItemHasher hasher)
            throws IOException {
        Path checkpoint = Path.of(report.checkpoint());
        if (!host.equals(report.host()) || !Files.isDirectory(checkpoint)) {
            return Optional.empty();
        }
        List<KeyHash> pairs = new ArrayList<>();
        long[] hash = new long[2];
        try (ReplicaView view = source.open(checkpoint)) {
            view.scan(item -> {
                if (buckets.contains(hasher.bucketOf(ItemHasher.keyHash(item)))) {
                    hasher.hash(item, hash);
                    pairs.add(new KeyHash(item.key(), hash[0], hash[1]));
                }
            });
        }
        return Optional.of(pairs);
    }

    @Override
    public void release(ScrubReport report) throws IOException {
        Path checkpoint = Path.of(report.checkpoint());
        if (!host.equals(report.host()) || !Files.isDirectory(checkpoint)) {
            return;
        }
        DurableFiles.deleteRecursively(checkpoint);
    }
}
