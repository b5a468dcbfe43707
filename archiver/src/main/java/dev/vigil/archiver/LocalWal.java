package dev.vigil.archiver;

import dev.vigil.core.LsnRange;
import dev.vigil.core.wal.SegmentFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What a WAL directory holds, read from file names (the files themselves are validated when shipped). */
record LocalWal(List<LocalSegment> sealed, List<Long> openFirstLsns) {

    static LocalWal read(Path walDir) throws IOException {
        List<LocalSegment> sealed = new ArrayList<>();
        List<Long> open = new ArrayList<>();
        try (Stream<Path> files = Files.list(walDir)) {
            for (Path file : files.toList()) {
                Optional<SegmentFileName> name =
                        SegmentFileName.parse(file.getFileName().toString());
                if (name.isEmpty()) {
                    continue;
                }
                if (name.get().isSealed()) {
                    try {
                        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        sealed.add(new LocalSegment(
                                file,
                                new LsnRange(
                                        name.get().firstLsn(),
                                        name.get().lastLsn().orElseThrow()),
                                attributes.size(),
                                attributes.lastModifiedTime().toInstant()));
                    } catch (NoSuchFileException deletedMeanwhile) {
                        // The node deleted it (it was at or below archived.lsn).
                    }
                } else {
                    open.add(name.get().firstLsn());
                }
            }
        }
        sealed.sort(Comparator.comparing(LocalSegment::range));
        open.sort(Comparator.naturalOrder());
        return new LocalWal(sealed, open);
    }

    /** The lowest LSN this directory knows of (a sealed segment's or an open segment's first), if any. */
    Optional<Long> lowestLsn() {
        Optional<Long> sealedFirst = sealed.isEmpty()
                ? Optional.empty()
                : Optional.of(sealed.getFirst().range().first());
        Optional<Long> openFirst = openFirstLsns.isEmpty() ? Optional.empty() : Optional.of(openFirstLsns.getFirst());
        return Stream.of(sealedFirst, openFirst).flatMap(Optional::stream).min(Long::compare);
    }

    /** Whether LSNs of {@code range} may still arrive from this directory (a sealed file or an open segment). */
    boolean mayStillHold(LsnRange range) {
        for (LocalSegment segment : sealed) {
            if (segment.range().first() <= range.last() && segment.range().last() >= range.first()) {
                return true;
            }
        }
        return !openFirstLsns.isEmpty() && openFirstLsns.getFirst() <= range.last();
    }
}
