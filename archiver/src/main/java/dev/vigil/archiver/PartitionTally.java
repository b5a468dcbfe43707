package dev.vigil.archiver;

import java.util.ArrayList;
import java.util.List;

/** What happened to one partition in one pass: counts, findings and errors, for its report and metrics. */
final class PartitionTally {
    int uploaded;
    int already;
    int diverged;
    int corrupt;
    int failed;
    long bytes;
    final List<String> findings = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
}
