package dev.vigil.core.io;

import java.nio.file.Path;

/**
 * Turning names that come from outside (object keys, manifest entries) into local paths. A name is never
 * trusted: it must be a single plain file name, and the resolved path must stay inside the base directory.
 */
public final class SafePaths {

    private SafePaths() {}

    /**
     * Resolves {@code name} inside {@code base}.
     *
     * @param origin what the name came from, for the message (e.g. the object key of a manifest)
     * @throws SecurityException when the name is empty, absolute, has a separator or a {@code ..} element, or
     *                           would otherwise resolve outside {@code base}
     */
    public static Path resolveWithin(Path base, String name, String origin) {
        if (name == null
                || name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.contains("/")
                || name.contains("\\")
                || name.indexOf('\0') >= 0) {
            throw new SecurityException(origin + ": refusing the name '" + name + "': a repository may only name plain"
                    + " files, never paths (the repository may have been tampered with)");
        }
        Path root = base.toAbsolutePath().normalize();
        Path resolved = root.resolve(name).normalize();
        if (!root.equals(resolved.getParent())) {
            throw new SecurityException(origin + ": refusing the name '" + name + "': it resolves outside " + root);
        }
        return resolved;
    }

    /**
     * The directory holding {@code file}, made absolute first; a file system root has none, and Vigil never writes a
     * root, so that is a programming error.
     */
    public static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException(file + " is a file system root; it has no directory to write into");
        }
        return parent;
    }
}
