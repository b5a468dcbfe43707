/**
 * Difference sketches: invertible Bloom lookup tables over a replica's {@code (key, itemHash)} pairs, so that the
 * difference of two states can be read from two small objects, with no access to either state. See
 * {@link dev.vigil.core.sketch.DifferenceSketch}.
 */
package dev.vigil.core.sketch;
