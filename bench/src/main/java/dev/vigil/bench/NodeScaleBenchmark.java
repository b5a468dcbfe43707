package dev.vigil.bench;

import dev.vigil.core.PartitionId;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The node side of {@code bench/run-node-scale}, which runs the node agent itself ({@code vigil daemon}, in its own
 * JVM) and measures it from outside. Two steps: {@code generate ROOT N} writes a node root of N partitions, each with
 * one sealed segment of 10 records; {@code latency ROOT COUNT} seals one more segment in COUNT partitions, one every
 * 200 ms, and reports how long each took until the daemon had it in the repository and recorded in
 * {@code archived.lsn} (seal → verified), while the other partitions stay idle.
 */
public final class NodeScaleBenchmark {

    private NodeScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "generate" -> generate(root, count);
            case "latency" -> System.out.println(latency(root, count));
            default -> throw new IllegalArgumentException("generate ROOT N | latency ROOT COUNT");
        }
    }

    static PartitionId partition(int i) {
        return PartitionId.of(String.format(Locale.ROOT, "p-%05d", i));
    }

    private static void generate(Path root, int partitions) throws Exception {
        for (int i = 0; i < partitions; i++) {
            Path wal = Files.createDirectories(StorageNodeContract.walDir(root, partition(i)));
            seal(wal, partition(i), 1);
        }
    }

    private static long seal(Path wal, PartitionId partition, long first) throws Exception {
        long lsn = first;
        try (SegmentWriter writer =
                SegmentWriter.create(wal, partition, first, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
            for (int r = 0; r < 10; r++) {
                writer.append(WalRecord.put(
                        lsn++, System.currentTimeMillis(), ("k" + r).getBytes(StandardCharsets.UTF_8), new byte[100]));
            }
            writer.seal();
        }
        return lsn - 1;
    }

    private static String latency(Path root, int count) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PartitionId partition = partition(i * 37 % 10_000);
            Path wal = StorageNodeContract.walDir(root, partition);
            if (!Files.isDirectory(wal)) {
                partition = partition(i);
                wal = StorageNodeContract.walDir(root, partition);
            }
            long first = ArchivedLsnFile.read(wal).orElse(0) + 1;
            long started = System.nanoTime();
            long last = seal(wal, partition, first);
            while (true) {
                OptionalLong archived = ArchivedLsnFile.read(wal);
                if (archived.isPresent() && archived.getAsLong() >= last) {
                    break;
                }
                if (System.nanoTime() - started > 60_000_000_000L) {
                    throw new IllegalStateException(partition + ": not archived within 60 s");
                }
                Thread.sleep(5);
            }
            seconds.add((System.nanoTime() - started) / 1e9);
            Thread.sleep(200);
        }
        seconds.sort(Comparator.naturalOrder());
        return String.format(
                Locale.ROOT,
                "seal → verified (in the repository, recorded in archived.lsn), %d segments sealed one at a time in"
                        + " different partitions: p50 %.3f s, p99 %.3f s, max %.3f s",
                seconds.size(),
                seconds.get(seconds.size() / 2),
                seconds.get(Math.min(seconds.size() - 1, (int) Math.ceil(seconds.size() * 0.99) - 1)),
                seconds.getLast());
    }
}
