package dev.vigil.testkit.s3;

import dev.vigil.demo.s3.EmbeddedS3Server;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** S3Mock or S3Proxy in a child JVM ({@link EmbeddedS3Server}), as a test server. */
final class ChildProcessS3Server implements S3Server {

    static final String SERVERS_PROPERTY = EmbeddedS3Server.SERVERS_PROPERTY;

    private final S3ServerKind kind;
    private final EmbeddedS3Server server;

    private ChildProcessS3Server(S3ServerKind kind, EmbeddedS3Server server) {
        this.kind = kind;
        this.server = server;
    }

    static ChildProcessS3Server start(S3ServerKind kind) {
        return start(kind, false);
    }

    /** {@code onDisk}: S3Proxy keeps objects in files (its filesystem backend) instead of in the child's heap. */
    static ChildProcessS3Server start(S3ServerKind kind, boolean onDisk) {
        EmbeddedS3Server.Implementation implementation = switch (kind) {
            case S3MOCK -> EmbeddedS3Server.Implementation.S3MOCK;
            case S3PROXY -> EmbeddedS3Server.Implementation.S3PROXY;
            default -> throw new IllegalArgumentException(kind + " is not a child-process server");
        };
        return new ChildProcessS3Server(kind, EmbeddedS3Server.start(implementation, onDisk));
    }

    @Override
    public S3ServerKind kind() {
        return kind;
    }

    @Override
    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return server.credentials();
    }

    @Override
    public String region() {
        return server.region();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
