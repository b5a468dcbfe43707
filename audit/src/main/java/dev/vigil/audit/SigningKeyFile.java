package dev.vigil.audit;

import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A signing key on disk (the log's checkpoint key, or an operator's acknowledgement key): one line, the reference implementation's signer key format
 * ({@code PRIVATE+KEY+<name>+<hash>+<base64>}), readable by its owner only (created so, and refused otherwise: whoever
 * reads it can sign a forged history). It lives outside the repository. Stateless.
 */
public final class SigningKeyFile {

    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private SigningKeyFile() {}

    /**
     * Creates {@code file} (owner-only, never over an existing file) with a fresh key named {@code name}; returns the
     * signer.
     *
     * @throws FileAlreadyExistsException when the file exists
     */
    public static NoteKeys.Signer create(Path file, String name, SecureRandom random) throws IOException {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        NoteKeys.Signer signer = NoteKeys.signer(name, seed);
        String text = "PRIVATE+KEY+" + name + "+" + String.format("%08x", signer.keyHash()) + "+"
                + Base64.getEncoder().encodeToString(concat((byte) 1, seed)) + "\n";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.getFileAttributeView(parent == null ? file : parent, PosixFileAttributeView.class) != null) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return signer;
    }

    /**
     * Reads the signer from {@code file}.
     *
     * @throws IOException naming the file and what is wrong (missing, readable by others, not a key)
     */
    public static NoteKeys.Signer load(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        try {
            if (posix != null && posix.readAttributes().permissions().stream().anyMatch(OTHERS::contains)) {
                throw new IOException(file + ": the signing key is readable or writable by others; whoever"
                        + " reads it can sign a forged history: chmod 600 " + file + " (and consider the key exposed)");
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return NoteKeys.parseSigner(text);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such signing key; create one with vigil audit keygen --key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a signing key (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] concat(byte first, byte[] rest) {
        byte[] all = new byte[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
