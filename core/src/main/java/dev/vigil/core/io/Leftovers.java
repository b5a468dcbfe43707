package dev.vigil.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Removes scratch state that a dead process left behind: entries of a directory whose name matches and ends with a
 * {@link ProcessTag} of a process that is {@linkplain ProcessTag#isDeadHere() gone from this host}. Entries of
 * live processes and of other hosts are never touched.
 */
public final class Leftovers {

    private Leftovers() {}

    /** What was removed: the path and how many bytes it held. */
    public record Removed(Path path, long bytes) {
        @Override
        public String toString() {
            return path + String.format(Locale.ROOT, " (%.1f MB)", bytes / 1e6);
        }
    }

    /**
     * Removes each entry of {@code directory} (files and whole directories) whose name satisfies {@code matches} and
     * carries the tag of a dead process. A missing directory has no leftovers; an entry another process is sweeping
     * at the same time is no failure.
     */
    public static List<Removed> sweep(Path directory, Predicate<String> matches) throws IOException {
        List<Removed> removed = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return removed;
        }
        List<Path> entries;
        try (Stream<Path> listing = Files.list(directory)) {
            entries = listing.toList();
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (matches.test(name)
                    && ProcessTag.of(name).map(ProcessTag::isDeadHere).orElse(false)) {
                long bytes = size(entry);
                DurableFiles.deleteRecursively(entry);
                removed.add(new Removed(entry, bytes));
            }
        }
        return removed;
    }

    private static long size(Path entry) throws IOException {
        if (!Files.isDirectory(entry)) {
            try {
                return Files.size(entry);
            } catch (NoSuchFileException gone) {
                return 0;
            }
        }
        try (Stream<Path> files = Files.walk(entry)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> {
                        try {
                            return Files.size(file);
                        } catch (IOException gone) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (NoSuchFileException | UncheckedIOException goneMeanwhile) {
            return 0; // another process is sweeping it
        }
    }
}
