package dev.vigil.encryption;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What an object's encryption is bound to: the repository's id ({@code encryption.repository-id}, fixed for the
 * repository's life, the same in every copy of it) and the object's key. It is the associated data of both the
 * data-key wrapping and the streaming ciphertext, so an object, or just its wrapped key, moved to another key or
 * another repository does not decrypt.
 */
public record EnvelopeContext(String repositoryId, String objectKey) {

    /** Domain-separated, length-prefixed bytes: no two (repository, key) pairs give the same. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("vigil-envelope/v1".getBytes(StandardCharsets.US_ASCII));
        field(out, repositoryId);
        field(out, objectKey);
        return out.toByteArray();
    }

    /** The streaming ciphertext's associated data: the context and the header written in front of it. */
    byte[] streamAssociatedData(byte[] header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes());
        out.write(0);
        out.writeBytes(header);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(0);
        out.write(bytes.length >>> 24);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }
}
