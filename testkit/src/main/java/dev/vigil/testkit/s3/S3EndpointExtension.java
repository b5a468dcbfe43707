package dev.vigil.testkit.s3;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolves {@link S3Endpoint} parameters: the one way S3-facing tests get an endpoint. Servers start on
 * first use and stay up for the whole test run (one per kind, stopped when the run ends); every parameter
 * gets a new bucket, closed with the test. See {@link UsingS3} and {@link S3ServerKind#DEFAULT}.
 */
public final class S3EndpointExtension implements ParameterResolver, ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(S3EndpointExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == S3Endpoint.class;
    }

    /** Skips tests on a server this machine cannot provide (MinIO without Docker, an unset external endpoint). */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return switch (requested(context)) {
            case MINIO ->
                MinioS3Server.dockerAvailable()
                        ? ConditionEvaluationResult.enabled("Docker is available for MinIO")
                        : ConditionEvaluationResult.disabled("no Docker engine: MinIO tests are skipped");
            case MOTO ->
                MotoS3Server.available()
                        ? ConditionEvaluationResult.enabled("python3 -m moto.server runs here")
                        : ConditionEvaluationResult.disabled(
                                "python3 -m moto.server is not available: moto tests are skipped");
            case EXTERNAL ->
                ExternalS3Server.fromEnvironment().isPresent()
                        ? ConditionEvaluationResult.enabled(ExternalS3Server.ENDPOINT_VARIABLE + " is set")
                        : ConditionEvaluationResult.disabled(ExternalS3Server.ENDPOINT_VARIABLE
                                + " is not set: external-endpoint tests are skipped");
            default -> ConditionEvaluationResult.enabled("embedded S3 servers are always available");
        };
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        S3ServerKind kind = resolve(requested(context));
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        S3Server server = root.getOrComputeIfAbsent(kind, S3EndpointExtension::start, S3Server.class);
        BucketCounter counter =
                root.getOrComputeIfAbsent(BucketCounter.class, k -> new BucketCounter(), BucketCounter.class);
        String bucket = "vigil-test-" + ProcessHandle.current().pid() + "-" + counter.next();
        try {
            S3Endpoint endpoint = new S3Endpoint(server, bucket);
            context.getStore(NAMESPACE).put(parameter.getIndex() + ":" + bucket, endpoint);
            return endpoint;
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("cannot create bucket " + bucket + " on " + server, e);
        }
    }

    private static S3ServerKind requested(ExtensionContext context) {
        return context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, UsingS3.class))
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, UsingS3.class)))
                .map(UsingS3::value)
                .orElse(S3ServerKind.DEFAULT);
    }

    private static S3ServerKind resolve(S3ServerKind requested) {
        if (requested != S3ServerKind.DEFAULT) {
            return requested;
        }
        if (ExternalS3Server.fromEnvironment().isPresent()) {
            return S3ServerKind.EXTERNAL;
        }
        return MinioS3Server.dockerAvailable() ? S3ServerKind.MINIO : S3ServerKind.S3MOCK;
    }

    private static S3Server start(S3ServerKind kind) {
        return switch (kind) {
            case S3MOCK, S3PROXY -> ChildProcessS3Server.start(kind);
            case MINIO -> MinioS3Server.start();
            case MOTO -> MotoS3Server.start();
            case EXTERNAL -> ExternalS3Server.fromEnvironment().orElseThrow();
            case DEFAULT -> throw new IllegalArgumentException("DEFAULT is resolved before starting");
        };
    }

    private static final class BucketCounter {
        private final AtomicInteger next = new AtomicInteger();

        int next() {
            return next.incrementAndGet();
        }
    }
}
