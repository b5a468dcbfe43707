package dev.vigil.testkit.store;

import dev.vigil.core.store.ObjectStore;

/**
 * A real store behind a seam: forwards every call; tests override one method to make the store misbehave
 * (lie about an object, fail after some reads). Closing it does not close the delegate, which its owner closes.
 */
public class ForwardingObjectStore extends dev.vigil.core.store.ForwardingObjectStore {

    public ForwardingObjectStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    public void close() {
        // The delegate belongs to the caller.
    }
}
