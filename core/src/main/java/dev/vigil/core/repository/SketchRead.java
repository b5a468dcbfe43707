package dev.vigil.core.repository;

import dev.vigil.core.sketch.DifferenceSketch;
import java.util.Optional;

/**
 * A scrub report's difference sketch as read: present, absent (none was published), or damaged (why, naming the
 * object); never both.
 */
public record SketchRead(Optional<DifferenceSketch> sketch, Optional<String> problem) {

    /** No sketch: none was published, or it was not read because no key of that report is to be named. */
    public static SketchRead none() {
        return new SketchRead(Optional.empty(), Optional.empty());
    }
}
