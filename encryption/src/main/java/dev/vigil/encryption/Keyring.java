package dev.vigil.encryption;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A keyring file: the key-encryption keys of a repository, each with an id, one of them active (new objects are wrapped
 * under it). Keys are only ever added: a key that retained objects still need is never dropped by Vigil, and rotating
 * makes a new key active while the old ones keep opening what they wrapped.
 *
 * <pre>{@code
 * {"version": 1, "active": "k-20261207-0500",
 *  "keys": [{"id": "k-20261207-0500", "created": "2026-12-07T05:00:00Z", "material": "<32 bytes, base64>"}]}
 * }</pre>
 *
 * The file must be readable by its owner only (mode 0600 or stricter): a keyring that a group or everyone can read is
 * refused. Immutable.
 *
 * @param active the id of the active key
 * @param keys   every key, oldest first
 */
public record Keyring(int version, String active, List<Key> keys) {

    /** The format this Vigil writes and reads. */
    public static final int VERSION = 1;

    /** Bytes of key material: AES-256. */
    public static final int KEY_BYTES = 32;

    /** One key-encryption key; its material is never printed ({@link #toString()}). */
    public record Key(String id, Instant created, String material) {
        byte[] bytes() {
            return Base64.getDecoder().decode(material);
        }

        @Override
        public String toString() {
            return "Key[" + id + ", created " + created + "]";
        }
    }

    public Keyring {
        keys = List.copyOf(keys);
    }

    /** A keyring with one fresh key, active, named {@code id}. */
    public static Keyring create(String id, Instant now, SecureRandom random) throws KeyringException {
        Keyring keyring = new Keyring(VERSION, id, List.of(newKey(id, now, random)));
        keyring.validate(Path.of("(new keyring)"));
        return keyring;
    }

    /** This keyring with a fresh key named {@code id} added and made active; every other key kept. */
    public Keyring rotate(String id, Instant now, SecureRandom random) throws KeyringException {
        List<Key> more = new ArrayList<>(keys);
        more.add(newKey(id, now, random));
        Keyring rotated = new Keyring(VERSION, id, more);
        rotated.validate(Path.of("(rotated keyring)"));
        return rotated;
    }

    /** The key named {@code id}. */
    public Optional<Key> key(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /**
     * Reads and checks {@code file}: readable by its owner only, well-formed, ids unique, every key 32 bytes, the active
     * key present.
     *
     * @throws KeyringException naming the file and what is wrong
     */
    public static Keyring load(Path file) throws KeyringException {
        requireOwnerOnly(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyringException(file + ": no such keyring; create one with vigil keys create --keyring " + file);
        } catch (IOException e) {
            throw new KeyringException(file + ": cannot read the keyring (" + e.getMessage() + ")");
        }
        Keyring keyring;
        try {
            keyring = RepositoryJson.MAPPER.readValue(bytes, Keyring.class);
        } catch (JsonProcessingException e) {
            throw new KeyringException(file + ": not a keyring (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new KeyringException(file + ": cannot read the keyring (" + e.getMessage() + ")");
        }
        keyring.validate(file);
        return keyring;
    }

    /** Writes the keyring to {@code file} durably (a new file replaces the old at once), readable by its owner only. */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        DurableFiles.replace(file, RepositoryJson.PRETTY.writeValueAsBytes(this));
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
        }
    }

    private void validate(Path file) throws KeyringException {
        List<String> problems = new ArrayList<>();
        if (version > VERSION) {
            problems.add("format version " + version + " is newer than this Vigil reads (" + VERSION + "); upgrade");
        }
        if (keys.isEmpty()) {
            problems.add("it holds no key");
        }
        Set<String> ids = new HashSet<>();
        for (Key key : keys) {
            if (key == null || key.id() == null || key.material() == null || key.created() == null) {
                problems.add("every key needs an id, a created time and its material");
                continue;
            }
            EnvelopeHeader.invalidKeyId(key.id()).ifPresent(problems::add);
            if (!ids.add(key.id())) {
                problems.add("key id " + key.id() + " appears twice");
            }
            try {
                if (key.bytes().length != KEY_BYTES) {
                    problems.add("key " + key.id() + " is " + key.bytes().length + " bytes, not " + KEY_BYTES);
                }
            } catch (IllegalArgumentException e) {
                problems.add("key " + key.id() + "'s material is not base64");
            }
        }
        if (active == null || !ids.contains(active)) {
            problems.add("the active key " + active + " is not in it");
        }
        if (!problems.isEmpty()) {
            throw new KeyringException(file + ": " + String.join("; ", problems));
        }
    }

    private static void requireOwnerOnly(Path file) throws KeyringException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix == null || !Files.exists(file)) {
            return; // not a POSIX file system (nothing to check), or missing (load says so)
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = posix.readAttributes().permissions();
        } catch (IOException e) {
            throw new KeyringException(file + ": cannot read its permissions (" + e.getMessage() + ")");
        }
        Set<PosixFilePermission> others = Set.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE);
        if (permissions.stream().anyMatch(others::contains)) {
            throw new KeyringException(file + ": the keyring is readable or writable by others (mode "
                    + PosixFilePermissions.toString(permissions) + "); it holds the keys to the whole repository:"
                    + " chmod 600 " + file + " (and check who could have read it)");
        }
    }

    private static Key newKey(String id, Instant now, SecureRandom random) {
        byte[] material = new byte[KEY_BYTES];
        random.nextBytes(material);
        return new Key(id, now, Base64.getEncoder().encodeToString(material));
    }

    /** A keyring that cannot be used: the message names the file and what to do. */
    public static final class KeyringException extends IOException {
        private static final long serialVersionUID = 1L;

        public KeyringException(String message) {
            super(message);
        }
    }
}
