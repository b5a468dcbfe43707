package dev.vigil.core.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of an object to store: a length and a stream that can be opened again (a store retries a
 * failed upload from the start). Never holds a file's content in memory.
 */
public interface ObjectBody {

    long length();

    /** A fresh stream over all the bytes; the caller closes it. */
    InputStream open() throws IOException;

    /** Describes the body for messages. */
    String describe();

    static ObjectBody ofFile(Path file) throws IOException {
        long length = Files.size(file);
        return new ObjectBody() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }

    static ObjectBody ofBytes(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new ObjectBody() {
            @Override
            public long length() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }

            @Override
            public String describe() {
                return copy.length + " bytes in memory";
            }
        };
    }
}
