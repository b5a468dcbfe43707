package dev.vigil.core.repository;

import java.util.ArrayList;
import java.util.List;

/**
 * The documents a reader met and could not read (damaged, or in a newer format than this Vigil reads), each with its
 * key and why, collected so that a report or a status goes on with everything else and then names each one: one
 * damaged object in a bucket of a million is a finding about that object, never "no report at all". Thread safe.
 */
public final class UnreadableDocuments {

    /** One document that could not be read: its key and the reason (the reader's own words, naming the key). */
    public record Unreadable(String key, String reason) {}

    private final List<Unreadable> found = new ArrayList<>();

    /** Notes one more document that could not be read. */
    public synchronized void add(String key, String reason) {
        found.add(new Unreadable(key, reason));
    }

    /** What was found so far, in the order it was met. */
    public synchronized List<Unreadable> all() {
        return List.copyOf(found);
    }

    public synchronized boolean isEmpty() {
        return found.isEmpty();
    }
}
