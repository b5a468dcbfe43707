package dev.vigil.restore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.replay.ReferenceItem;
import dev.vigil.replay.ReferenceState;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** JSON lines, keys and values in base64 (they are bytes). */
class JsonLinesOutput extends RestoreOutput {
    private static final JsonFactory JSON = new JsonFactory();
    static final String FILE = "items.jsonl";

    @Override
    void write(ReferenceState reference, Path directory) throws IOException {
        Base64.Encoder base64 = Base64.getEncoder();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(directory.resolve(FILE)), 1 << 16);
                JsonGenerator json = JSON.createGenerator(out)) {
            json.setRootValueSeparator(new SerializedString("\n"));
            reference.forEachItem(item -> {
                json.writeStartObject();
                json.writeStringField("key", base64.encodeToString(item.key()));
                json.writeStringField("value", base64.encodeToString(item.value()));
                json.writeNumberField("lsn", item.lsn());
                json.writeEndObject();
            });
            json.writeRaw('\n');
        }
    }

    @Override
    Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException {
        DigestAccumulator digest = new DigestAccumulator(algorithm, bucketBits);
        Base64.Decoder base64 = Base64.getDecoder();
        Path file = directory.resolve(FILE);
        try (InputStream in = Files.newInputStream(file);
                JsonParser parser = JSON.createParser(in)) {
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                byte[] key = null;
                byte[] value = null;
                long itemLsn = 0;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "key" -> key = base64.decode(parser.getText());
                        case "value" -> value = base64.decode(parser.getText());
                        case "lsn" -> itemLsn = parser.getLongValue();
                        default -> throw new IOException(file + ": unexpected field '" + field + "'");
                    }
                }
                if (key == null || value == null) {
                    throw new IOException(file + ": an item without its " + (key == null ? "key" : "value"));
                }
                ReferenceItem item = new ReferenceItem(key, value, itemLsn);
                RestoreOutput.checkLsn(item, lsn, file);
                digest.add(item.key(), item.value());
            }
        }
        return digest.snapshot();
    }
}
