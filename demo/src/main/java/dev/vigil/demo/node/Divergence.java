package dev.vigil.demo.node;

/** Ways a test can make one replica differ from its peers at one LSN. */
public enum Divergence {
    /** The replica logs the mutation but never applies it to its database: a lost write. */
    DROP_FROM_STORE,
    /** The replica logs the right value but stores a different one: a bug or bit flip on the apply path. */
    ALTER_IN_STORE,
    /** The replica logs (and stores) a different value: its WAL segment differs from its peers'. */
    ALTER_IN_WAL
}
