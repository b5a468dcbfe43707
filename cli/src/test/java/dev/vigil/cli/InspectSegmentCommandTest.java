package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectSegmentCommandTest {

    @TempDir
    Path dir;

    private SealedSegment sealed;

    @BeforeEach
    void writeSegment() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        try (SegmentWriter writer =
                SegmentWriter.create(dir, PartitionId.of("orders-3"), 100, clock, FsyncPolicy.ON_SYNC)) {
            for (long lsn = 100; lsn < 110; lsn++) {
                writer.append(lsn, Op.PUT, ("key-" + lsn).getBytes(StandardCharsets.UTF_8), new byte[64]);
            }
            writer.append(110, Op.DELETE, "key-100".getBytes(StandardCharsets.UTF_8), null);
            sealed = writer.seal();
        }
    }

    @Test
    void aValidSealedSegmentPrintsItsSummaryAndExitsZero() {
        CliRun run = CliRun.of("inspect", "segment", sealed.path().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains(
                        "partition  orders-3",
                        "lsn        100..110 (11 records)",
                        "checksum   " + sealed.summary().checksum(),
                        "status     valid (sealed)");
    }

    @Test
    void recordsAreListedWithLsnOperationAndKey() {
        CliRun run = CliRun.of("inspect", "segment", "--records", sealed.path().toString());

        assertThat(run.out())
                .containsPattern("100  2026-11-25T10:00:00Z\\s+PUT\\s+key-100 \\(64\\)")
                .containsPattern("110  2026-11-25T10:00:00Z\\s+DELETE\\s+key-100 \\(0\\)");
    }

    @Test
    void aCorruptSegmentNamesTheOffsetAndReasonAndExitsOne() throws Exception {
        long offset = flipByte(sealed.path(), 300);

        CliRun run = CliRun.of("inspect", "segment", sealed.path().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out()).contains("status     CORRUPT at offset " + offset + ": frame CRC mismatch");
    }

    @Test
    void jsonOutputCarriesTheStatusAndOffset() throws Exception {
        long offset = flipByte(sealed.path(), 300);

        CliRun run = CliRun.of(
                "inspect", "segment", "--json", "--records", sealed.path().toString());

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("status").asText()).isEqualTo("corrupt");
        assertThat(json.get("offset").asLong()).isEqualTo(offset);
        assertThat(json.get("records").size()).isGreaterThan(0);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FINDINGS);
    }

    @Test
    void anOpenSegmentWithATornTailReportsItsOffset() throws Exception {
        Path open = dir.resolve("00000000000000000100.open");
        byte[] bytes = Files.readAllBytes(sealed.path());
        Files.write(open, Arrays.copyOf(bytes, 251)); // header + 2 frames + 1 byte of the third

        CliRun run = CliRun.of("inspect", "segment", open.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out()).containsPattern("status     open, TORN TAIL of \\d+ bytes at offset \\d+: ");
    }

    @Test
    void aMissingFileIsAUsageError() {
        CliRun run = CliRun.of("inspect", "segment", dir.resolve("nope.seg").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("no such file: " + dir.resolve("nope.seg"));
    }

    @Test
    void aHealthyObjectOfALocalRepositoryIsValidByPathAndByKey() throws Exception {
        String key = archiveLocally();
        Path object = dir.resolve("repo").resolve(key);

        CliRun byPath = CliRun.of("inspect", "segment", object.toString());
        assertThat(byPath.exitCode()).as(byPath.out() + byPath.err()).isEqualTo(ExitCodes.OK);
        assertThat(byPath.out())
                .contains(
                        "object     a file of a local repository",
                        "lsn        100..110 (11 records)",
                        "status     valid (sealed)",
                        "object     bytes match the checksum it was stored with");

        Path config = Files.writeString(
                dir.resolve("vigil.yaml"),
                "repository:\n  url: " + dir.resolve("repo").toUri() + "\nwork-dir: " + dir.resolve("work") + "\n");
        CliRun byKey = CliRun.of("inspect", "segment", "--config", config.toString(), "--records", key);
        assertThat(byKey.exitCode()).as(byKey.out() + byKey.err()).isEqualTo(ExitCodes.OK);
        assertThat(byKey.out())
                .contains(
                        "segment    " + dir.resolve("repo").toUri() + key,
                        "an archived object in",
                        "status     valid (sealed)")
                .containsPattern("110  2026-11-25T10:00:00Z\\s+DELETE");

        CliRun missing =
                CliRun.of("inspect", "segment", "--config", config.toString(), "partitions/orders-3/wal/nope.seg");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err())
                .contains("no object partitions/orders-3/wal/nope.seg in "
                        + dir.resolve("repo").toUri());
    }

    @Test
    void aDamagedObjectOfALocalRepositoryIsCorruptWithTheSegmentsOffset() throws Exception {
        String key = archiveLocally();
        Path object = dir.resolve("repo").resolve(key);
        long payload = LocalObjectFile.readHeader(object, "repo", key).payloadOffset();
        flipByte(object, payload + 300);

        CliRun run = CliRun.of("inspect", "segment", object.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out()).contains("status     CORRUPT at offset " + flipOffset(300) + ": frame CRC mismatch");
    }

    @Test
    void jsonNamesThePartitionOnce() {
        CliRun run = CliRun.of("inspect", "segment", "--json", sealed.path().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().split("\"partition\"", -1)).as(run.out()).hasSize(2);
    }

    /** Archives the segment into a local repository at {@code dir/repo}; returns its key. */
    private String archiveLocally() throws IOException {
        String key = RepositoryLayout.walKey(
                PartitionId.of("orders-3"), sealed.summary().lsnRange());
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            store.put(PutRequest.ifAbsent(
                    key, ObjectBody.ofFile(sealed.path()), sealed.summary().checksum(), Map.of()));
        }
        return key;
    }

    /** The offset of the frame that holds segment byte {@code position}. */
    private static long flipOffset(long position) {
        int header = WalFormat.headerLength(PartitionId.of("orders-3"));
        int frame = WalFormat.frameLength(Op.PUT, "key-100".length(), 64);
        return header + ((position - header) / frame) * frame;
    }

    /** Flips a byte inside the frame that starts at or before {@code position}; returns that frame's offset. */
    private long flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(position);
            int b = raw.read();
            raw.seek(position);
            raw.write(b ^ 0x01);
        }
        int header = WalFormat.headerLength(PartitionId.of("orders-3"));
        int frame = WalFormat.frameLength(Op.PUT, "key-100".length(), 64);
        return header + ((position - header) / frame) * frame;
    }
}
