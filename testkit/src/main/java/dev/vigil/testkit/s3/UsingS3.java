package dev.vigil.testkit.s3;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class (or method) {@link S3Endpoint} parameters on the named server, each with a fresh
 * bucket. Without it, or with {@link S3ServerKind#DEFAULT}, the best available server is used.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(S3EndpointExtension.class)
public @interface UsingS3 {
    S3ServerKind value() default S3ServerKind.DEFAULT;
}
