package dev.vigil.core.config;

import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.sketch.SketchShape;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Optional;

/**
 * Scrubbing local replicas ({@code scrub} section).
 *
 * @param bytesPerSecond  read rate limit of a scan (0: unlimited); a scrub must not starve the node's own I/O
 * @param windowStart     the scheduled scrub runs only between {@code windowStart} and {@code windowEnd}
 *                        (local time of the daemon; may wrap midnight); empty: any time
 * @param windowEnd       end of that window
 * @param checkpointTtl   a checkpoint is kept this long after its report is published, so a judge can list
 *                        keys of that exact state; then it is removed
 * @param algorithm       item hash of the digest
 * @param bucketBits      the digest has 2^bucketBits buckets
 * @param sketchCapacity  differing items the difference sketch published with each report decodes (0: no sketch;
 *                        otherwise at least {@link SketchShape#MIN_CAPACITY})
 * @param keySketchCapacity pieces of long keys (past the first 32 bytes, {@link
 *                        dev.vigil.core.sketch.DifferenceSketch#KEY_PIECE} bytes each) the sketch's key table decodes,
 *                        so that a key of any length only the replica holds is named whole on any machine (0: no key
 *                        table; otherwise at least {@link SketchShape#MIN_CAPACITY})
 * @param keepCheckpoint  keep the checkpoint of a scrub whose report carries a sketch for {@code checkpointTtl} (for
 *                        drill-downs on the node beyond the sketch's capacity); by default it is removed as soon as the
 *                        report is published, so the node holds no hard-linked SST files for a judge. A checkpoint
 *                        of a report without a sketch is always kept.
 */
public record ScrubConfig(
        long bytesPerSecond,
        Optional<LocalTime> windowStart,
        Optional<LocalTime> windowEnd,
        Duration checkpointTtl,
        DigestAlgorithm algorithm,
        int bucketBits,
        int sketchCapacity,
        boolean keepCheckpoint,
        int keySketchCapacity) {

    public ScrubConfig {
        if (sketchCapacity != 0 && sketchCapacity < SketchShape.MIN_CAPACITY) {
            throw new IllegalArgumentException("a sketch capacity is 0 (no sketch) or at least "
                    + SketchShape.MIN_CAPACITY + ", not " + sketchCapacity);
        }
        if (keySketchCapacity != 0 && keySketchCapacity < SketchShape.MIN_CAPACITY) {
            throw new IllegalArgumentException("a key sketch capacity is 0 (no key table) or at least "
                    + SketchShape.MIN_CAPACITY + ", not " + keySketchCapacity);
        }
    }

    /** With the default key table. */
    public ScrubConfig(
            long bytesPerSecond,
            Optional<LocalTime> windowStart,
            Optional<LocalTime> windowEnd,
            Duration checkpointTtl,
            DigestAlgorithm algorithm,
            int bucketBits,
            int sketchCapacity,
            boolean keepCheckpoint) {
        this(
                bytesPerSecond,
                windowStart,
                windowEnd,
                checkpointTtl,
                algorithm,
                bucketBits,
                sketchCapacity,
                keepCheckpoint,
                SketchShape.DEFAULT_KEY_CAPACITY);
    }

    /** With the default sketch capacity. */
    public ScrubConfig(
            long bytesPerSecond,
            Optional<LocalTime> windowStart,
            Optional<LocalTime> windowEnd,
            Duration checkpointTtl,
            DigestAlgorithm algorithm,
            int bucketBits) {
        this(
                bytesPerSecond,
                windowStart,
                windowEnd,
                checkpointTtl,
                algorithm,
                bucketBits,
                SketchShape.DEFAULT_CAPACITY,
                false);
    }

    public static ScrubConfig defaults() {
        return new ScrubConfig(
                64L * 1024 * 1024,
                Optional.empty(),
                Optional.empty(),
                Duration.ofHours(24),
                DigestAlgorithm.XXH128,
                12,
                SketchShape.DEFAULT_CAPACITY,
                false,
                SketchShape.DEFAULT_KEY_CAPACITY);
    }

    /** The shape of the sketch each report carries; empty when reports carry none. */
    public Optional<SketchShape> sketchShape() {
        return sketchCapacity == 0
                ? Optional.empty()
                : Optional.of(SketchShape.forCapacity(sketchCapacity, keySketchCapacity));
    }

    /** Whether {@code time} lies in the window (always, when no window is set). */
    public boolean inWindow(LocalTime time) {
        if (windowStart.isEmpty() || windowEnd.isEmpty()) {
            return true;
        }
        LocalTime start = windowStart.get();
        LocalTime end = windowEnd.get();
        return start.isBefore(end)
                ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }
}
