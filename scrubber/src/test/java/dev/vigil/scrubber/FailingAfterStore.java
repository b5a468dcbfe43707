package dev.vigil.scrubber;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.testkit.store.ForwardingObjectStore;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** A real store whose segment reads start failing after a number of them: a connection that drops mid-run. */
final class FailingAfterStore extends ForwardingObjectStore {

    private final AtomicInteger readsLeft;

    FailingAfterStore(ObjectStore delegate, int reads) {
        super(delegate);
        this.readsLeft = new AtomicInteger(reads);
    }

    @Override
    public ObjectStream get(String key) throws IOException {
        if (key.endsWith(".seg") && readsLeft.getAndDecrement() <= 0) {
            throw new ObjectStoreException("connection reset reading " + key, true, null);
        }
        return super.get(key);
    }
}
