package dev.vigil.testkit.s3;

/** Starts the embedded S3 servers outside JUnit (benchmarks, tools). The caller closes what it gets. */
public final class S3Servers {

    private S3Servers() {}

    /**
     * Starts S3Mock or S3Proxy as a child JVM from the jar in the directory named by the system property
     * {@code vigil.test.s3servers}.
     */
    public static S3Server start(S3ServerKind kind) {
        return ChildProcessS3Server.start(kind);
    }

    /** S3Proxy with its filesystem backend: for data larger than a small heap (benchmarks). */
    public static S3Server startS3ProxyOnDisk() {
        return ChildProcessS3Server.start(S3ServerKind.S3PROXY, true);
    }
}
