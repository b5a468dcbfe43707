package dev.vigil.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.core.checksum.Checksum;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file format of one object in a local directory repository: an 8-byte magic {@code VGLOBJ01}, a
 * 4-byte big-endian length, a JSON header ({@code size}, {@code checksum}, {@code metadata}), then the
 * object's bytes. Data and metadata live in one file so that a put is one atomic rename or link.
 */
public final class LocalObjectFile {

    /** The store's own mapper for its sidecar headers: the store knows nothing of the repository's documents. */
    private static final ObjectMapper HEADER_JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final byte[] MAGIC = "VGLOBJ01".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 64 * 1024;

    /** The decoded header and where the payload starts. */
    public record Header(long payloadOffset, long size, Checksum checksum, Map<String, String> metadata) {}

    private record Json(long size, String checksum, Map<String, String> metadata) {}

    private LocalObjectFile() {}

    /** Whether {@code file} starts like an object file of a local repository (its magic), as opposed to bare bytes. */
    public static boolean isObjectFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /**
     * Opens the payload of an object file found outside its store (an operator pointing at a file of a local
     * repository): the stream verifies the bytes against the checksum in the header when it reaches the end, as a
     * store read does.
     *
     * @throws ObjectCorruptException when the header is damaged or the payload's length differs from the header's
     */
    public static ObjectStream open(Path file) throws IOException {
        String store = file.toAbsolutePath().getParent() == null
                ? "(local file)"
                : file.toAbsolutePath().getParent().toUri().toString();
        String key = file.getFileName().toString();
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 256 * 1024);
        try {
            Header header = readHeader(in, store, key);
            long payload = Files.size(file) - header.payloadOffset();
            if (payload != header.size()) {
                throw new ObjectCorruptException(
                        store, key, "file holds " + payload + " payload bytes but its header says " + header.size());
            }
            ObjectInfo info = new ObjectInfo(
                    key,
                    header.size(),
                    header.checksum(),
                    header.metadata(),
                    Files.getLastModifiedTime(file).toInstant());
            return ObjectStream.verified(in, store, info);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    static byte[] encodeHeader(long size, Checksum checksum, Map<String, String> metadata) {
        try {
            byte[] json =
                    HEADER_JSON.writeValueAsBytes(new Json(size, checksum.toString(), new LinkedHashMap<>(metadata)));
            byte[] header = new byte[MAGIC.length + 4 + json.length];
            System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
            header[8] = (byte) (json.length >>> 24);
            header[9] = (byte) (json.length >>> 16);
            header[10] = (byte) (json.length >>> 8);
            header[11] = (byte) json.length;
            System.arraycopy(json, 0, header, 12, json.length);
            return header;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode object header", e);
        }
    }

    /**
     * Reads the header of an object file.
     *
     * @throws ObjectCorruptException when the header is damaged
     */
    public static Header readHeader(Path file, String store, String key) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readHeader(in, store, key);
        }
    }

    static Header readHeader(InputStream raw, String store, String key) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ObjectCorruptException(store, key, "not a Vigil object file (bad magic)");
            }
            int length = in.readInt();
            if (length < 2 || length > MAX_HEADER) {
                throw new ObjectCorruptException(store, key, "object header length " + length + " is out of bounds");
            }
            byte[] json = new byte[length];
            in.readFully(json);
            Json decoded = HEADER_JSON.readValue(json, Json.class);
            Checksum checksum = Checksum.parse(decoded.checksum());
            if (decoded.size() < 0) {
                throw new ObjectCorruptException(store, key, "object header has a negative size");
            }
            return new Header(
                    MAGIC.length + 4L + length,
                    decoded.size(),
                    checksum,
                    decoded.metadata() == null ? Map.of() : decoded.metadata());
        } catch (EOFException e) {
            throw new ObjectCorruptException(store, key, "object file ends inside its header");
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new ObjectCorruptException(store, key, "object header is damaged: " + e.getMessage());
        }
    }
}
