package dev.vigil.core.alert;

import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends each alert as one JSON object on its own line, forced to disk before {@link #publish} returns. */
public final class JsonLinesAlertSink implements AlertSink {

    private final Path file;

    public JsonLinesAlertSink(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void publish(Alert alert) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] line = (RepositoryJson.MAPPER.writeValueAsString(alert.toMap()) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }
    }

    @Override
    public String describe() {
        return "jsonl " + file;
    }
}
