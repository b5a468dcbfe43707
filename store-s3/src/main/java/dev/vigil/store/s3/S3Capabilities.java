package dev.vigil.store.s3;

import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.S3Settings;
import dev.vigil.core.store.StoreGuarantees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What an S3-compatible server was found to do ({@link S3Probe}) and what Vigil therefore does: which integrity
 * header it sends, whether objects written only if absent may go up in parts, and whether it writes at all. Each
 * answer keeps the server's reply, for the table an operator reads. Immutable.
 *
 * @param server              the endpoint and bucket probed (a cached probe of another server is not used)
 * @param probedAt            when
 * @param checksumHeader      a put whose {@code x-amz-checksum-*} does not match its body is refused
 * @param contentMd5          a put whose {@code Content-MD5} does not match its body is refused
 * @param conditionalPut      {@code If-None-Match: *} on a put of an existing key is refused
 * @param conditionalComplete {@code If-None-Match: *} on completing a multipart upload of an existing key is refused
 * @param conditionalReplace  {@code If-Match} of another version on a put is refused, of the object's own version
 *                            honoured: what a replacement "only while unchanged" ({@code vigil keys rewrap}) needs
 * @param unquotedIfMatch     the server matches {@code If-Match} only against an unquoted ETag (Ceph RGW Pacific), so
 *                            Vigil sends it so
 * @param emptyObject         an empty object can be put
 */
record S3Capabilities(
        String server,
        Instant probedAt,
        Answer checksumHeader,
        Answer contentMd5,
        Answer conditionalPut,
        Answer conditionalComplete,
        Answer conditionalReplace,
        Answer unquotedIfMatch,
        Answer emptyObject) {

    /** Whether the server does it, and what it answered (for the table). */
    record Answer(boolean holds, String reply) {}

    /** The largest object a single PUT may carry on S3. */
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

    /** The integrity Vigil uses with {@code settings}; empty when the server backs neither and none was chosen. */
    Optional<S3Integrity> integrity(S3Settings settings) {
        return switch (settings.integrity()) {
            case AUTO ->
                checksumHeader.holds()
                        ? Optional.of(S3Integrity.CHECKSUM_HEADER)
                        : contentMd5.holds() ? Optional.of(S3Integrity.CONTENT_MD5) : Optional.empty();
            case CHECKSUM_HEADER, CONTENT_MD5 -> Optional.of(settings.integrity());
        };
    }

    /** Why Vigil does not write to this server as configured, if it does not. */
    Optional<String> refusal(String store, S3Settings settings) {
        if (!conditionalPut.holds()) {
            return Optional.of(store + " does not refuse a put with If-None-Match: * of an existing key ("
                    + conditionalPut.reply() + "): an archived object could be overwritten unseen, so Vigil does not"
                    + " write to it. Use a server that honours conditional puts (AWS S3, MinIO, Ceph RGW 16 and"
                    + " later: see docs/operations.md, S3 servers we know)");
        }
        if (integrity(settings).isEmpty()) {
            return Optional.of(store + " validates neither x-amz-checksum-* (" + checksumHeader.reply()
                    + ") nor Content-MD5 (" + contentMd5.reply() + "): a body damaged on its way would be stored."
                    + " Vigil does not write to it with repository.s3.integrity: auto; set checksum-header or"
                    + " content-md5 to write anyway (a damaged upload is then found only when archive verification"
                    + " re-reads it)");
        }
        return Optional.empty();
    }

    /** Explicit settings this server does not back. */
    List<String> warnings(S3Settings settings) {
        List<String> warnings = new ArrayList<>();
        if (settings.integrity() == S3Integrity.CHECKSUM_HEADER && !checksumHeader.holds()) {
            warnings.add("repository.s3.integrity is checksum-header, but the server stores a put whose"
                    + " x-amz-checksum-* does not match its body (" + checksumHeader.reply() + "): damaged uploads are"
                    + " not refused"
                    + (contentMd5.holds() ? "; content-md5 (or auto) would have them refused" : ""));
        }
        if (settings.integrity() == S3Integrity.CONTENT_MD5 && !contentMd5.holds()) {
            warnings.add("repository.s3.integrity is content-md5, but the server stores a put whose Content-MD5 does"
                    + " not match its body (" + contentMd5.reply() + "): damaged uploads are not refused"
                    + (checksumHeader.holds() ? "; checksum-header (or auto) would have them refused" : ""));
        }
        return warnings;
    }

    /**
     * Whether a put of {@code length} bytes goes up in parts: never one that replaces only a given version (a single
     * put carries {@code If-Match} on every server that honours it).
     */
    boolean multipart(S3Settings settings, long length, PutRequest request) {
        return length >= settings.multipartThreshold()
                && request.ifMatch().isEmpty()
                && (!request.ifAbsent() || conditionalComplete.holds());
    }

    /** The {@code If-Match} value for a listed {@code version} (an ETag), as this server matches it. */
    String ifMatch(String version) {
        return unquotedIfMatch.holds() ? unquoted(version) : version;
    }

    /** {@code etag} without its surrounding quotes. */
    static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }

    /** Why Vigil does not make {@code request} to this server, if it does not. */
    Optional<String> refusal(String store, S3Settings settings, PutRequest request) {
        return refusal(store, settings).or(() -> replacementRefusal(store, request));
    }

    /** Why a put that replaces only a given version is refused here, if it is. */
    private Optional<String> replacementRefusal(String store, PutRequest request) {
        return request.ifMatch().isPresent() && !conditionalReplace.holds()
                ? Optional.of(store + " does not honour If-Match on a put (" + conditionalReplace.reply() + "): "
                        + request.key() + " could be replaced over a newer version or brought back after a delete, so"
                        + " Vigil does not replace it conditionally here (vigil keys rewrap needs a server that does:"
                        + " AWS S3, see docs/operations.md, S3 servers we know)")
                : Optional.empty();
    }

    StoreGuarantees guarantees(String store, S3Settings settings) {
        Optional<S3Integrity> integrity = integrity(settings);
        List<StoreGuarantees.Row> rows = List.of(
                new StoreGuarantees.Row(
                        "a put whose x-amz-checksum-* does not match its body is refused",
                        found(checksumHeader),
                        integrity.filter(i -> i == S3Integrity.CHECKSUM_HEADER).isPresent()
                                ? "sends x-amz-checksum-crc32c (or -sha256) with every put"
                                : "does not rely on it"),
                new StoreGuarantees.Row(
                        "a put whose Content-MD5 does not match its body is refused",
                        found(contentMd5),
                        integrity.filter(i -> i == S3Integrity.CONTENT_MD5).isPresent()
                                ? "checks every body against its checksum, then sends its Content-MD5"
                                : "does not rely on it"),
                new StoreGuarantees.Row(
                        "If-None-Match: * refuses a put of an existing key",
                        found(conditionalPut),
                        conditionalPut.holds()
                                ? "writes every archived object only if absent"
                                : "writes nothing (an archived object could be overwritten)"),
                new StoreGuarantees.Row(
                        "If-None-Match: * refuses completing a multipart upload of an existing key",
                        found(conditionalComplete),
                        conditionalComplete.holds()
                                ? "uploads objects from s3.multipart-threshold up in parts"
                                : "never uploads an object written only if absent in parts (single puts, up to 5"
                                        + " GiB); others in parts from s3.multipart-threshold up"),
                new StoreGuarantees.Row(
                        "If-Match refuses a put over another version",
                        found(conditionalReplace),
                        conditionalReplace.holds()
                                ? "replaces an object only while it is the version listed (vigil keys rewrap)"
                                : "refuses vigil keys rewrap (a replacement could undo a newer write or bring back a"
                                        + " deleted object)"),
                new StoreGuarantees.Row(
                        "an empty object can be put",
                        found(emptyObject),
                        emptyObject.holds() ? "—" : "writes no empty object"));
        return new StoreGuarantees(store, Optional.of(probedAt), rows, refusal(store, settings), warnings(settings));
    }

    private static String found(Answer answer) {
        return (answer.holds() ? "yes" : "NO") + " (" + answer.reply() + ")";
    }

    void save(OutputStream out) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("server", server);
        properties.setProperty("probedAt", probedAt.toString());
        put(properties, "checksumHeader", checksumHeader);
        put(properties, "contentMd5", contentMd5);
        put(properties, "conditionalPut", conditionalPut);
        put(properties, "conditionalComplete", conditionalComplete);
        put(properties, "conditionalReplace", conditionalReplace);
        put(properties, "unquotedIfMatch", unquotedIfMatch);
        put(properties, "emptyObject", emptyObject);
        properties.store(out, "What the S3 server was found to do (Vigil's probe); deleting this file probes again");
    }

    private static void put(Properties properties, String name, Answer answer) {
        properties.setProperty(name + ".holds", Boolean.toString(answer.holds()));
        properties.setProperty(name + ".reply", answer.reply());
    }

    /** Reads what {@link #save} wrote; empty when it is incomplete or unreadable. */
    static Optional<S3Capabilities> load(InputStream in) {
        Properties properties = new Properties();
        try {
            properties.load(in);
            return Optional.of(new S3Capabilities(
                    required(properties, "server"),
                    Instant.parse(required(properties, "probedAt")),
                    answer(properties, "checksumHeader"),
                    answer(properties, "contentMd5"),
                    answer(properties, "conditionalPut"),
                    answer(properties, "conditionalComplete"),
                    answer(properties, "conditionalReplace"),
                    answer(properties, "unquotedIfMatch"),
                    answer(properties, "emptyObject")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Answer answer(Properties properties, String name) {
        return new Answer(
                Boolean.parseBoolean(required(properties, name + ".holds")), required(properties, name + ".reply"));
    }

    private static String required(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name);
        }
        return value;
    }
}
