package dev.vigil.demoapp;

import dev.vigil.core.repository.Verdict;
import dev.vigil.core.wal.Op;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.SimulatedReplica;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The faults the demo plants on its simulated nodes, and how it recognises that Vigil named them. */
final class DemoFaults {

    private DemoFaults() {}

    /**
     * Makes node-b drop a write a little ahead of the writer, and waits until it is written. A dropped delete of a key
     * that was never written changes nothing (and one in ten mutations is a delete), so the loss is planted again
     * until it hits a put.
     */
    static long plantLostWrite(DemoWorkload workload, DemoWatch watch) throws IOException {
        while (true) {
            long lsn = workload.diverge("node-b", Divergence.DROP_FROM_STORE, 2 * Demo.BATCH);
            if (!watch.until(w -> workload.nextLsn() > lsn, Demo.STEP_TIMEOUT, workload)) {
                throw new IOException(
                        "the demo's storage nodes did not reach LSN " + lsn + " within " + Demo.STEP_TIMEOUT);
            }
            if (workload.record(lsn).op() == Op.PUT) {
                return lsn;
            }
        }
    }

    static boolean lostKeyNamed(DemoWatch watch, long lost, DemoWorkload workload) {
        if (workload.nextLsn() <= lost) {
            return false;
        }
        String key = new String(workload.record(lost).key(), StandardCharsets.UTF_8);
        return watch.verdicts().stream()
                .anyMatch(v -> v.replica().value().equals("node-b")
                        && v.status() == Verdict.Status.REPLICA_DIVERGED
                        && v.differences().stream()
                                .anyMatch(d ->
                                        d.key().equals(key) && d.kind() == Verdict.Difference.Kind.MISSING_ON_REPLICA));
    }

    /** Flushes the replica and flips bits across its largest SST file; returns the file. */
    static Path bitRot(SimulatedReplica replica) throws IOException {
        replica.flush();
        Path sst;
        try (Stream<Path> files = Files.list(replica.replicaDir())) {
            sst = files.filter(p -> p.toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow(() -> new IOException("no SST file in " + replica.replicaDir()));
        }
        long length = Files.size(sst);
        try (RandomAccessFile raw = new RandomAccessFile(sst.toFile(), "rw")) {
            for (long position = length / 4; position < length / 2; position += 4_096) {
                raw.seek(position);
                int b = raw.read();
                raw.seek(position);
                raw.write(b ^ 0x10);
            }
        }
        return sst;
    }

    static Path anySegment(SimulatedReplica replica) {
        return replica.sealedSegments().isEmpty()
                ? replica.walDir()
                : replica.sealedSegments().getFirst().path();
    }
}
