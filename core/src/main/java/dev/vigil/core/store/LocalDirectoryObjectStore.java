package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.Hasher;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.Leftovers;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.io.SafePaths;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} in a local directory (or a mounted file system), the embedded default. Each object
 * is one file at {@code <root>/<key>} in the {@link LocalObjectFile} format. Opening the store creates nothing: the
 * directories appear with the first put, so a command that only reads never leaves a repository behind (a mistyped
 * URL lists as empty). A put writes a temporary file
 * under {@code <root>/.vigil-tmp} (named after the writing process, so that the leftovers of one that died are
 * removed by the next store opened on this host), forces it, then either renames it over the key or, for "only if
 * absent", hard-links it to the key, which fails atomically when the key exists, even against writers in
 * other processes; then it forces the directory. Replacements and deletes hold a lock on
 * {@code <root>/.vigil-tmp/mutations.lock} (any process, any thread) for the rename or unlink, so a put "only if still
 * version V" compares and renames with no other replacement or delete in between; a version here is the object's
 * checksum (a replacement with identical content is the same version). Thread safe.
 */
final class LocalDirectoryObjectStore implements ObjectStore {

    static final String TEMP_DIRECTORY = ".vigil-tmp";
    /** Under {@link #TEMP_DIRECTORY}: never deleted (a lock file deleted while another process waits on it fails). */
    static final String MUTATION_LOCK = "mutations.lock";

    private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
    private static final int COPY_BUFFER = 256 * 1024;

    private final Path root;
    private final Path temp;
    private final String description;
    private final Clock clock;

    LocalDirectoryObjectStore(Path root, Clock clock) throws IOException {
        this.clock = clock;
        this.root = root.toAbsolutePath().normalize();
        this.temp = this.root.resolve(TEMP_DIRECTORY);
        this.description = this.root.toUri().toString();
        removeStaleTemporaries(clock.instant().minus(STALE_TEMP_AGE));
    }

    @Override
    public int abortIncompleteUploads(String prefix, Instant olderThan) throws IOException {
        ObjectKeys.validatePrefix(prefix);
        return removeStaleTemporaries(olderThan);
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        if (request.lock().isPresent()) {
            throw new ObjectStoreException(
                    describe() + ": put " + request.key() + " asks for an Object Lock, which a local"
                            + " directory cannot keep; use an S3 bucket with Object Lock enabled, or set retention.object-lock: false",
                    false,
                    null);
        }
        String key = request.key();
        Path target = resolve(key);
        Files.createDirectories(temp);
        Path tmp =
                Files.createTempFile(temp, "put-", ".tmp" + ProcessTag.current().suffix());
        try {
            Checksum actual;
            long written = 0;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    InputStream body = request.body().open()) {
                writeFully(
                        channel,
                        ByteBuffer.wrap(LocalObjectFile.encodeHeader(
                                request.body().length(), request.checksum(), request.metadata())));
                Hasher hasher = request.checksum().algorithm().newHasher();
                byte[] buffer = new byte[COPY_BUFFER];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    hasher.update(buffer, 0, n);
                    writeFully(channel, ByteBuffer.wrap(buffer, 0, n));
                    written += n;
                }
                actual = hasher.finish();
                if (written != request.body().length()) {
                    throw new ChecksumMismatchException(
                            description,
                            key,
                            "body of " + request.body().describe() + " had " + written + " bytes, "
                                    + request.body().length() + " were announced");
                }
                if (!actual.equals(request.checksum())) {
                    throw new ChecksumMismatchException(
                            description, key, "computed " + actual + ", expected " + request.checksum());
                }
                channel.force(true);
            }
            // An object's last-modified time is the store's clock at the put, as a server's would be.
            Files.setLastModifiedTime(tmp, FileTime.from(clock.instant()));
            // The parent is made under the lock a delete removes empty parents under (another process's delete
            // could otherwise remove it between the two).
            if (request.ifAbsent()) {
                MutationLock.holding(temp.resolve(MUTATION_LOCK), () -> {
                    Files.createDirectories(target.getParent());
                    try {
                        return Files.createLink(target, tmp);
                    } catch (FileAlreadyExistsException e) {
                        throw new PreconditionFailedException(description, key);
                    }
                });
            } else {
                MutationLock.holding(temp.resolve(MUTATION_LOCK), () -> {
                    Files.createDirectories(target.getParent());
                    if (request.ifMatch().isPresent()
                            && !currentVersionIs(target, key, request.ifMatch().get())) {
                        throw new PreconditionFailedException(description, key);
                    }
                    return Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                });
            }
            forceDirectory(SafePaths.parentOf(target));
            return new ObjectInfo(
                    key,
                    written,
                    actual,
                    request.metadata(),
                    Files.getLastModifiedTime(target).toInstant());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The put hashes every byte as it writes it and fails on a mismatch: what it returns is what it stored. */
    @Override
    public ObjectInfo putConfirmed(PutRequest request) throws IOException {
        return put(request);
    }

    @Override
    public ObjectStream get(String key) throws IOException {
        Opened opened = open(key);
        return ObjectStream.verified(opened.payload(), description, opened.info());
    }

    @Override
    public ObjectStream get(String key, ByteRange range) throws IOException {
        Opened opened = open(key);
        long available = Math.max(0, opened.info().size() - range.offset());
        long length = Math.min(range.length(), available);
        try {
            opened.payload().skipNBytes(Math.min(range.offset(), opened.info().size()));
        } catch (IOException | RuntimeException e) {
            opened.payload().close();
            throw e;
        }
        return ObjectStream.ranged(
                new BoundedInputStream(opened.payload(), length), description, opened.info(), length);
    }

    @Override
    public ObjectInfo head(String key) throws IOException {
        Path file = resolve(key);
        try {
            LocalObjectFile.Header header = LocalObjectFile.readHeader(file, description, key);
            return new ObjectInfo(
                    key,
                    header.size(),
                    header.checksum(),
                    header.metadata(),
                    Files.getLastModifiedTime(file).toInstant());
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(description, key);
        }
    }

    @Override
    public ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys) throws IOException {
        ObjectKeys.validatePrefix(prefix);
        ObjectListing.checkMaxKeys(maxKeys);
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return new ObjectListing(List.of(), Optional.empty());
        }
        List<String> keys;
        try (Stream<Path> walk = Files.walk(start)) {
            keys = walk.filter(p -> !p.equals(start))
                    .map(p -> root.relativize(p).toString().replace(File.separatorChar, '/'))
                    .filter(k -> !isHidden(k) && k.startsWith(prefix))
                    .filter(k -> startAfter.isEmpty() || k.compareTo(startAfter.get()) > 0)
                    .filter(k -> Files.isRegularFile(root.resolve(k)))
                    .sorted(LocalDirectoryObjectStore::compareUtf8)
                    .limit(maxKeys + 1L)
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<ObjectSummary> page = new ArrayList<>();
        for (String key : keys.subList(0, Math.min(maxKeys, keys.size()))) {
            Path file = root.resolve(key);
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                LocalObjectFile.Header header = LocalObjectFile.readHeader(file, description, key);
                page.add(new ObjectSummary(
                        key,
                        header.size(),
                        attributes.lastModifiedTime().toInstant(),
                        header.checksum().toString()));
            } catch (NoSuchFileException deletedMeanwhile) {
                // A concurrent delete: the key is simply no longer listed.
            }
        }
        Optional<String> next =
                keys.size() > maxKeys ? Optional.of(page.getLast().key()) : Optional.empty();
        return new ObjectListing(page, next);
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        MutationLock.holding(temp.resolve(MUTATION_LOCK), () -> {
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                forceDirectory(SafePaths.parentOf(file));
                removeEmptyParents(SafePaths.parentOf(file)); // under the lock puts make parents under
            }
            return deleted;
        });
    }

    @Override
    public ObjectLockStatus objectLock() {
        return ObjectLockStatus.unavailable("a local directory repository has no Object Lock: anyone with write access"
                + " to " + root + " can change or delete archived objects");
    }

    @Override
    public StoreGuarantees guarantees() {
        return StoreGuarantees.inherent(
                describe(),
                List.of(
                        new StoreGuarantees.Row(
                                "a damaged upload is refused",
                                "yes (Vigil's own file format)",
                                "each object is re-hashed against its checksum before it is renamed into place"),
                        new StoreGuarantees.Row(
                                "put only if absent",
                                "yes, atomic (a hard link fails on an existing key)",
                                "every archived object is written only if absent"),
                        new StoreGuarantees.Row("empty objects", "yes", "—")));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // No resources are held between calls.
    }

    /** Whether the object at {@code target} exists and is {@code version} (its checksum); under the mutation lock. */
    private boolean currentVersionIs(Path target, String key, String version) throws IOException {
        try {
            return LocalObjectFile.readHeader(target, description, key)
                    .checksum()
                    .toString()
                    .equals(version);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private record Opened(ObjectInfo info, InputStream payload) {}

    private Opened open(String key) throws IOException {
        Path file = resolve(key);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(description, key);
        }
        try {
            InputStream in = Channels.newInputStream(channel);
            LocalObjectFile.Header header = LocalObjectFile.readHeader(in, description, key);
            long fileSize = channel.size();
            if (fileSize != header.payloadOffset() + header.size()) {
                throw new ObjectCorruptException(
                        description,
                        key,
                        "file holds " + (fileSize - header.payloadOffset()) + " payload bytes but its header says "
                                + header.size());
            }
            channel.position(header.payloadOffset());
            ObjectInfo info = new ObjectInfo(
                    key,
                    header.size(),
                    header.checksum(),
                    header.metadata(),
                    Files.getLastModifiedTime(file).toInstant());
            return new Opened(info, new BufferedInputStream(Channels.newInputStream(channel), COPY_BUFFER));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private Path resolve(String key) {
        ObjectKeys.validate(key);
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("object key escapes the repository: " + key);
        }
        return path;
    }

    private static boolean isHidden(String key) {
        return key.startsWith(".") || key.contains("/.");
    }

    /** S3 orders keys by UTF-8 bytes; for the characters keys may hold, that is UTF-16 order except surrogates. */
    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void removeEmptyParents(Path directory) throws IOException {
        Path current = directory;
        while (current != null && current.startsWith(root) && !current.equals(root)) {
            try {
                Files.delete(current);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            }
            current = current.getParent();
        }
    }

    /**
     * Removes temporary files of puts that cannot finish: those of a process that died on this host at once (the
     * name says which process wrote it), any other older than {@code olderThan} (a writer on another host).
     * Temporary files carry no key, so all stale ones go, whatever the prefix; never the lock file.
     */
    private int removeStaleTemporaries(Instant olderThan) throws IOException {
        if (!Files.isDirectory(temp)) {
            return 0;
        }
        int removed = Leftovers.sweep(temp, name -> name.startsWith("put-")).size();
        try (Stream<Path> files = Files.list(temp)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().equals(MUTATION_LOCK)) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(olderThan) && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (NoSuchFileException finishedMeanwhile) {
                    // A put completed (or cleaned up) while we looked.
                }
            }
        }
        return removed;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        DurableFiles.forceDirectory(directory);
    }
}
