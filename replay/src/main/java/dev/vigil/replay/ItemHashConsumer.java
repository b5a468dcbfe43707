package dev.vigil.replay;

import java.io.IOException;

/** Receives a key of a reference, the LSN that last wrote it and its item hash ({@code [high, low]}, reused). */
@FunctionalInterface
public interface ItemHashConsumer {
    void accept(byte[] key, long lsn, long[] itemHash) throws IOException;
}
