package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.core.io.DirectoryLock;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.Leftovers;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.io.SafePaths;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The directory a restore writes into, through its life: checked (a file, or a non-empty directory without
 * {@code --force}, is refused), locked (one restore per target), cleared of what killed restores left beside it, and
 * finally filled by moving the verified output into place (an existing target moved aside first, deleted after), or
 * left alone with an unverified output kept beside it under a name that says so.
 */
final class RestoreTargetDirectory {

    /** Part of the name of the hidden directory beside the target that a restore writes into. */
    static final String STAGING = ".vigil-restore-";
    /** Part of the name a replaced target is moved aside to until the new one is in place. */
    static final String REPLACED = ".vigil-replaced-";

    private final Path target;
    private final PartitionId partition;
    private final RandomGenerator random;

    RestoreTargetDirectory(Path target, PartitionId partition, RandomGenerator random) {
        this.target = target.toAbsolutePath().normalize();
        this.partition = partition;
        this.random = random;
    }

    Path path() {
        return target;
    }

    /** The hidden directory beside the target a restore of {@code id} writes into. */
    Path staging(String id) {
        return target.resolveSibling(
                "." + target.getFileName() + STAGING + id + ProcessTag.current().suffix());
    }

    /** Refuses a target that is a file, or a directory that is not empty without {@code force}; creates its parent. */
    void check(boolean force) throws IOException {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE, "target " + target + " exists and is not a directory", null);
        }
        if (Files.isDirectory(target) && !force && !isEmptyDirectory(target)) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE,
                    "target " + target + " is not empty; restore"
                            + " into a new directory, or pass --force to replace its contents once the restore is verified",
                    null);
        }
        Path parent = target.getParent();
        if (parent == null) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE, "target " + target + " has no parent directory", null);
        }
        Files.createDirectories(parent);
    }

    /** Locks the target: a second restore into it refuses at once instead of silently replacing the first's result. */
    DirectoryLock lock(Instant now) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            // Stopped before it began (opening the lock file would fail on the interrupt, and say nothing useful).
            throw interruptedBeforeItBegan(null);
        }
        try {
            return DirectoryLock.acquireBeside(
                    target, "restore target", "vigil restore of partition " + partition + " into " + target, now);
        } catch (ClosedByInterruptException e) {
            throw interruptedBeforeItBegan(e);
        } catch (DirectoryLock.HeldException e) {
            throw new RestoreException(
                    RestoreException.Kind.USAGE,
                    e.getMessage() + "; wait for that restore to end, or restore into another --target",
                    e);
        }
    }

    private RestoreException interruptedBeforeItBegan(@Nullable ClosedByInterruptException cause) {
        return new RestoreException(
                RestoreException.Kind.INTERRUPTED,
                "the restore of " + partition + " into " + target + " was interrupted before it began; nothing"
                        + " was written. Run the same command again to restore.",
                cause);
    }

    /**
     * Removes what restores killed on this host left behind (a kill -9, a second Ctrl-C, a power cut): their work
     * directories under {@code restoreWork} and their staging directories beside targets in this target's parent. A
     * directory moved aside while a target was being replaced is removed only when the target is in place, since
     * otherwise it may hold the only copy of the old state.
     */
    List<Leftovers.Removed> removeLeftovers(Path restoreWork) throws IOException {
        List<Leftovers.Removed> removed = new ArrayList<>(Leftovers.sweep(restoreWork, name -> true));
        Path parent = SafePaths.parentOf(target);
        removed.addAll(Leftovers.sweep(parent, name -> name.startsWith(".") && name.contains(STAGING)));
        removed.addAll(Leftovers.sweep(parent, name -> {
            int aside = name.indexOf(REPLACED);
            return name.startsWith(".") && aside > 1 && Files.isDirectory(parent.resolve(name.substring(1, aside)));
        }));
        return removed;
    }

    /**
     * Moves the verified output into place; an existing target is moved aside first and deleted after. Checked again
     * right before the move, so that nothing that appeared in the target meanwhile (another process wrote into it) is
     * ever replaced without {@code force}: the verified result is then kept beside it, under a name that says so.
     */
    Path install(Path staging, boolean force, DirectoryLock lock, String id) throws IOException {
        if (!lock.isHeld()) {
            throw new RestoreException(
                    RestoreException.Kind.REPOSITORY,
                    "lost the lock on the target " + target + " (" + lock.file() + ") before installing; the verified"
                            + " result stays in " + staging,
                    null);
        }
        if (!force && Files.exists(target) && !isEmptyDirectory(target)) {
            Path kept = target.resolveSibling(target.getFileName() + ".verified-" + id);
            Files.move(staging, kept, StandardCopyOption.ATOMIC_MOVE);
            throw new RestoreException(
                    RestoreException.Kind.USAGE,
                    "target " + target + " was filled by something else while the restore ran; it was left as it is,"
                            + " and the verified result is at " + kept + " (move it into place, or restore again with"
                            + " --force)",
                    null);
        }
        Path aside = null;
        if (Files.exists(target)) {
            aside = target.resolveSibling(
                    "." + target.getFileName() + REPLACED + Long.toHexString(random.nextLong() & Long.MAX_VALUE)
                            + ProcessTag.current().suffix());
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.forceDirectory(SafePaths.parentOf(target));
        if (aside != null) {
            DurableFiles.deleteRecursively(aside);
        }
        return target;
    }

    /** Keeps an unverified output beside the target, under a name that says so; the target is left alone. */
    Path keepUnverified(Path staging, String id) throws IOException {
        Path kept = target.resolveSibling(target.getFileName() + ".unverified-" + id);
        Files.move(staging, kept, StandardCopyOption.ATOMIC_MOVE);
        return kept;
    }

    private static boolean isEmptyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
