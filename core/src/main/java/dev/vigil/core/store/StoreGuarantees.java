package dev.vigil.core.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a store guarantees for Vigil's writes, as found (an S3-compatible server is probed, never assumed to be AWS),
 * and what Vigil does about each: the table {@code check-config --connect} prints. When the store cannot keep an
 * archive safely with the configuration given, {@code refusal} says why and what to change (nothing is written to it
 * then); an explicit setting the store does not back is one of its {@code warnings}, shown at start and on {@code /health}.
 * Immutable.
 *
 * @param store     the store, as it describes itself
 * @param probedAt  when the store was probed; empty when its guarantees hold by construction (a local directory)
 * @param rows      one per guarantee: what, what was found, what Vigil does
 * @param refusal   why Vigil will not write to this store as configured, if it will not
 * @param warnings  settings the store does not back, with what to change
 */
public record StoreGuarantees(
        String store, Optional<Instant> probedAt, List<Row> rows, Optional<String> refusal, List<String> warnings) {

    /**
     * One guarantee.
     *
     * @param guarantee what the store is asked to do
     * @param found     what it was found to do
     * @param vigil     what Vigil does about it
     */
    public record Row(String guarantee, String found, String vigil) {}

    public StoreGuarantees {
        rows = List.copyOf(rows);
        warnings = List.copyOf(warnings);
    }

    /** A store whose guarantees hold by construction (Vigil's own local directory store). */
    public static StoreGuarantees inherent(String store, List<Row> rows) {
        return new StoreGuarantees(store, Optional.empty(), rows, Optional.empty(), List.of());
    }

    /** The table as aligned text lines, a header first. */
    public List<String> table() {
        int guarantee = "guarantee".length();
        int found = "found".length();
        for (Row row : rows) {
            guarantee = Math.max(guarantee, row.guarantee().length());
            found = Math.max(found, row.found().length());
        }
        String format = "%-" + guarantee + "s  %-" + found + "s  %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "guarantee", "found", "Vigil").stripTrailing());
        for (Row row : rows) {
            lines.add(String.format(format, row.guarantee(), row.found(), row.vigil())
                    .stripTrailing());
        }
        return lines;
    }
}
