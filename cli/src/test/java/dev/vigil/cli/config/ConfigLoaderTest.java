package dev.vigil.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.ReplicaId;
import dev.vigil.core.config.AlertSinkConfig;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.DaemonConfig;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.core.config.ScheduleConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.RetentionLock;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    /** Where credentials go instead, as every refusal of one in the file says it. */
    private static final String ADVICE = "give them through the AWS default chain (AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY in the environment, ~/.aws/credentials, an instance role) or name a profile with"
            + " repository.s3.profile";

    @Test
    void aCompleteS3ConfigurationIsMappedToTypedSettings() throws ConfigException {
        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: s3://vigil-archive/prod/eu-1
                  s3:
                    endpoint: http://127.0.0.1:9000
                    region: eu-west-1
                    profile: backup
                    integrity: content-md5
                    sdk-checksums: when-supported
                    multipart-threshold: 128MiB
                    part-size: 32MiB
                    max-attempts: 7
                    connect-timeout: 3s
                    socket-timeout: 2m
                node:
                  replica: node-a
                  roots: [/var/lib/storage, /mnt/ssd2/storage]
                work-dir: /var/lib/vigil/work
                schedule:
                  archive: "0/5 * * * * ?"
                alerts:
                  - type: log
                  - type: jsonl
                    path: /var/log/vigil/alerts.jsonl
                  - type: webhook
                    url: https://hooks.example.org/vigil
                    timeout: 2s
                """, "vigil.yaml");

        S3Settings s3 = ((RepositoryLocation.S3) config.repository()).settings();
        assertThat(s3.bucket()).isEqualTo("vigil-archive");
        assertThat(s3.prefix()).isEqualTo("prod/eu-1");
        assertThat(s3.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(s3.region()).isEqualTo("eu-west-1");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.profile()).contains("backup");
        assertThat(s3.integrity()).isEqualTo(S3Integrity.CONTENT_MD5);
        assertThat(s3.sdkChecksums()).isEqualTo(S3Settings.SdkChecksums.WHEN_SUPPORTED);
        assertThat(s3.multipartThreshold()).isEqualTo(128L * 1024 * 1024);
        assertThat(s3.partSize()).isEqualTo(32 * 1024 * 1024);
        assertThat(s3.maxAttempts()).isEqualTo(7);
        assertThat(s3.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s3.socketTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.node())
                .contains(new NodeConfig(
                        ReplicaId.of("node-a"), List.of(Path.of("/var/lib/storage"), Path.of("/mnt/ssd2/storage"))));
        assertThat(config.workDir()).isEqualTo(Path.of("/var/lib/vigil/work"));
        assertThat(config.schedule().archive()).isEqualTo("0/5 * * * * ?");
        assertThat(config.alerts())
                .containsExactly(
                        new AlertSinkConfig.Log(),
                        new AlertSinkConfig.JsonLines(Path.of("/var/log/vigil/alerts.jsonl")),
                        new AlertSinkConfig.Webhook(
                                URI.create("https://hooks.example.org/vigil"), Duration.ofSeconds(2), 3));
    }

    @Test
    void aMinimalLocalConfigurationGetsDefaults() throws ConfigException {
        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: file:///srv/vigil/repo
                work-dir: /srv/vigil/work
                """, "vigil.yaml");

        assertThat(config.repository()).isEqualTo(new RepositoryLocation.Local(Path.of("/srv/vigil/repo")));
        assertThat(config.node()).isEmpty();
        assertThat(config.schedule().archive()).isEqualTo(ScheduleConfig.DEFAULT_ARCHIVE);
        assertThat(config.alerts()).containsExactly(new AlertSinkConfig.Log());
        assertThat(config.archive()).isEqualTo(ArchiveConfig.defaults());
        assertThat(config.daemon()).isEqualTo(DaemonConfig.defaults());
    }

    @Test
    void aFleetSectionIsReadAndItsPasswordRefused() throws ConfigException {
        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: file:///srv/vigil/repo
                work-dir: /srv/vigil/work
                fleet:
                  jdbc-url: jdbc:postgresql://pg.internal:5432/vigil?sslmode=verify-full
                  user: vigil
                  threads: 8
                  verify-every: 10m
                  missed-heartbeats: 5
                  worker-name: verify-7
                """, "worker.yaml");
        FleetConfig fleet = config.fleet().orElseThrow();
        assertThat(fleet.jdbcUrl()).isEqualTo("jdbc:postgresql://pg.internal:5432/vigil?sslmode=verify-full");
        assertThat(fleet.user()).contains("vigil");
        assertThat(fleet.threads()).isEqualTo(8);
        assertThat(fleet.verifyEvery()).isEqualTo(Duration.ofMinutes(10));
        assertThat(fleet.takeoverAfter()).isEqualTo(FleetConfig.DEFAULT_HEARTBEAT.multipliedBy(5));
        assertThat(fleet.pollInterval()).isEqualTo(FleetConfig.DEFAULT_POLL_INTERVAL);
        assertThat(fleet.workerName()).contains("verify-7");
        assertThat(ConfigLoader.parse("repository:\n  url: file:///r\nwork-dir: /w\n", "v")
                        .fleet())
                .isEmpty();

        assertThatThrownBy(() -> ConfigLoader.parse("""
                        repository:
                          url: file:///srv/vigil/repo
                        work-dir: /srv/vigil/work
                        fleet:
                          jdbc-url: jdbc:postgresql://pg/vigil?user=v&password=hunter2
                          password: hunter2
                          heartbeat: 0s
                          missed-heartbeats: 2
                        """, "worker.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "fleet.password: a database password does not belong in the configuration file: set"
                                                + " VIGIL_FLEET_PASSWORD or PGPASSWORD in the worker's environment, or use"
                                                + " ~/.pgpass",
                                        "fleet.jdbc-url: carries a password, which does not belong in the configuration file:"
                                                + " set VIGIL_FLEET_PASSWORD or PGPASSWORD in the worker's environment, or use"
                                                + " ~/.pgpass",
                                        "fleet.heartbeat: must be positive",
                                        "fleet.missed-heartbeats: must be between 4 and 100, was 2"))
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "repository:\n  url: file:///r\nwork-dir: /w\nfleet:\n  jdbc-url: mysql://db/v\n", "v"))
                .hasMessageContaining("fleet.jdbc-url: 'mysql://db/v' is not a PostgreSQL JDBC URL");
        assertThatThrownBy(() ->
                        ConfigLoader.parse("repository:\n  url: file:///r\nwork-dir: /w\nfleet:\n  threads: 2\n", "v"))
                .hasMessageContaining("fleet.jdbc-url: is required");
    }

    @Test
    void aScrubWindowMayWrapMidnight() throws ConfigException {
        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: file:///srv/vigil/repo
                work-dir: /srv/vigil/work
                scrub:
                  rate: 16MiB
                  window: "22:30-04:00"
                  checkpoint-ttl: 12h
                """, "vigil.yaml");

        assertThat(config.scrub().bytesPerSecond()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.scrub().inWindow(LocalTime.of(23, 0))).isTrue();
        assertThat(config.scrub().inWindow(LocalTime.of(3, 59))).isTrue();
        assertThat(config.scrub().inWindow(LocalTime.of(4, 0))).isFalse();
        assertThat(config.scrub().inWindow(LocalTime.of(12, 0))).isFalse();
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "repository:\n  url: file:///r\nwork-dir: /w\nscrub:\n  window: nightly\n", "v"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "scrub.window: expected HH:MM-HH:MM (in schedule.time-zone, may wrap midnight), found 'nightly'"));
    }

    @Test
    void theScheduleTimeZoneIsReadAndAWrongOneRefused() throws ConfigException {
        VigilConfig berlin = ConfigLoader.parse("""
                repository:
                  url: file:///srv/vigil/repo
                work-dir: /srv/vigil/work
                schedule:
                  time-zone: Europe/Berlin
                """, "vigil.yaml");
        assertThat(berlin.schedule().timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(ConfigLoader.parse("repository:\n  url: file:///r\nwork-dir: /w\n", "v")
                        .schedule()
                        .timeZone())
                .as("default: the machine's zone")
                .isEqualTo(ZoneId.systemDefault());
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "repository:\n  url: file:///r\nwork-dir: /w\nschedule:\n  time-zone: Mars/Olympus\n", "v"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly("schedule.time-zone: 'Mars/Olympus' is not a time zone (use a region"
                                        + " such as Europe/Berlin, or UTC)"));
    }

    @Test
    void archiveAndDaemonSettingsAreRead() throws ConfigException {
        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: file:///srv/vigil/repo
                work-dir: /srv/vigil/work
                archive:
                  concurrency: 8
                  rpo: 2m
                  gap-grace: 30m
                  retry-base: 1s
                  retry-max: 1m
                  stale-upload-age: 6h
                  continuity-check-interval: 30s
                daemon:
                  http-host: 0.0.0.0
                  http-port: 9999
                  shutdown-timeout: 10s
                  alert-dedup-window: 15m
                """, "vigil.yaml");

        assertThat(config.archive())
                .isEqualTo(new ArchiveConfig(
                        8,
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(30),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1),
                        Duration.ofHours(6),
                        Duration.ofSeconds(30)));
        assertThat(config.daemon())
                .isEqualTo(new DaemonConfig("0.0.0.0", 9999, Duration.ofSeconds(10), Duration.ofMinutes(15)));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsSetting() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: s3://Bad_Bucket/x
                  s3:
                    regoin: eu-west-1
                node:
                  replica: "../evil"
                  roots: [relative/path]
                work-dir: work
                schedule:
                  archive: "every five seconds"
                alerts:
                  - type: pager
                  - type: webhook
                    url: ftp://example.org
                    timeout: soon
                retention: 7d
                retension: 7d
                """, "bad.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "repository.url: 's3://Bad_Bucket/x': 'Bad_Bucket' is not a valid bucket name (3-63 characters"
                                                + " from [a-z0-9.-], starting and ending with a letter or digit)",
                                        "node.roots[0]: 'relative/path' must be an absolute path",
                                        "node.replica: invalid replica id '../evil': use 1 to 64 characters from [A-Za-z0-9._-], not"
                                                + " starting with '.'",
                                        "work-dir: 'work' must be an absolute path",
                                        "schedule.archive: 'every five seconds' is not a valid Quartz cron expression (Illegal characters"
                                                + " for this position: 'EVE'); the seconds field comes first, e.g. '0/10 * * * * ?'",
                                        "alerts[0].type: unknown alert sink 'pager' (known: log, jsonl, webhook, alertmanager)",
                                        "alerts[1].timeout: expected a duration such as 500ms, 10s, 5m, 2h or 7d, found 'soon'",
                                        "alerts[1].url: must be an http:// or https:// URL",
                                        "retention: expected a section of settings",
                                        "retension: unknown setting (known here: alerts, archive, audit, daemon, encryption, fleet, node, reference, report, repository,"
                                                + " restore, retention, schedule, scrub, verify, work-dir)"))
                .hasMessageStartingWith("bad.yaml: 10 problems:");
    }

    @Test
    void objectLockNeedsAnS3RepositoryAndTakesItsModeAndMargin() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: file:///var/lib/vigil/repo
                work-dir: /var/lib/vigil/work
                retention:
                  window: 14d
                  object-lock: true
                  lock-mode: forever
                """, "lock.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "retention.object-lock: needs an s3:// repository whose bucket has Object Lock enabled; a local"
                                                + " directory cannot lock objects (remove the setting, or archive to S3)",
                                        "retention.lock-mode: expected one of governance, compliance, found 'forever'"));

        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: s3://vigil-archive/prod
                work-dir: /var/lib/vigil/work
                retention:
                  window: 14d
                  object-lock: true
                  lock-mode: compliance
                  lock-margin: 2d
                """, "lock.yaml");
        assertThat(config.retention().objectLock()).isTrue();
        assertThat(config.retention().lockMode()).isEqualTo(RetentionLock.Mode.COMPLIANCE);
        assertThat(config.retention().lockMargin()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void sketchCapacitiesAreHonouredAsConfiguredOrRefusedBelowTheSmallestTableNamingIt() throws ConfigException {
        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: file:///srv/repo
                work-dir: /w
                scrub:
                  sketch-capacity: 64
                  key-sketch-capacity: 0
                """, "vigil.yaml");
        assertThat(config.scrub().sketchShape()).hasValueSatisfying(shape -> {
            assertThat(shape.capacity()).isEqualTo(64);
            assertThat(shape.keyCells()).isZero();
        });

        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: file:///srv/repo
                work-dir: /w
                scrub:
                  sketch-capacity: 8
                  key-sketch-capacity: 63
                """, "vigil.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "scrub.sketch-capacity: is 8, below the smallest sketch table (96 cells, which"
                                                + " decode 64): use 0 (no sketch) or at least 64",
                                        "scrub.key-sketch-capacity: is 63, below the smallest sketch table (96 cells,"
                                                + " which decode 64): use 0 (no key table) or at least 64"));
    }

    @Test
    void sizesAndDurationsTooLargeForALongAreRefusedNotWrappedRound() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: file:///srv/repo
                work-dir: /w
                reference:
                  snapshot-every: 17179869184GiB
                verify:
                  period: 9999999999999999999d
                """, "vigil.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "reference.snapshot-every: '17179869184GiB' is too large (expected a size such as 64MiB, 512KiB"
                                                + " or 1048576)",
                                        "verify.period: '9999999999999999999d' is too large (expected a duration such as 500ms, 10s, 5m,"
                                                + " 2h or 7d)"));
    }

    @Test
    void credentialsInsideTheRepositoryUrlOrTheEndpointAreRefusedAndNeverPrinted() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: s3://AKIAEXAMPLE:hunter2@vigil-archive/prod
                  s3:
                    endpoint: https://minio:s3cr3t@minio.internal:9000
                work-dir: /w
                """, "vigil.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "repository.url: 's3://***@vigil-archive/prod' carries credentials (user:password@), which do not"
                                                + " belong in the configuration file: " + ADVICE,
                                        "repository.s3.endpoint: 'https://***@minio.internal:9000' carries credentials (user:password@),"
                                                + " which do not belong in the configuration file: " + ADVICE))
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("s3cr3t")
                .hasMessageNotContaining("AKIAEXAMPLE");
        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: "s3://user:pa ss@bucket"
                work-dir: /w
                """, "vigil.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3://***@bucket")
                .hasMessageNotContaining("pa ss");
    }

    @Test
    void serverSideEncryptionBindsAndItsKmsSettingsOnlyWithSseKms() throws Exception {
        VigilConfig config = ConfigLoader.parse("""
                repository:
                  url: s3://vigil-archive
                  s3:
                    server-side-encryption: sse-kms
                    sse-kms-key-id: arn:aws:kms:eu-west-1:111122223333:key/abcd
                    bucket-key: true
                work-dir: /w
                """, "vigil.yaml");
        S3Settings s3 = ((RepositoryLocation.S3) config.repository()).settings();
        assertThat(s3.serverSide().mode()).isEqualTo(S3ServerSideEncryption.Mode.SSE_KMS);
        assertThat(s3.serverSide().kmsKeyId()).contains("arn:aws:kms:eu-west-1:111122223333:key/abcd");
        assertThat(s3.serverSide().bucketKey()).isTrue();

        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: s3://vigil-archive
                  s3:
                    server-side-encryption: sse-s3
                    bucket-key: true
                work-dir: /w
                """, "vigil.yaml"))
                .hasMessageContaining("repository.s3.bucket-key: only with server-side-encryption: sse-kms");
    }

    @Test
    void unknownS3SettingsAndCredentialsInTheFileAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                repository:
                  url: s3://vigil-archive
                  s3:
                    regoin: eu-west-1
                    secret-key: hunter2
                    part-size: 1MiB
                work-dir: /w
                """, "vigil.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "repository.s3.secret-key: credentials do not belong in the configuration file: "
                                                + ADVICE,
                                        "repository.s3.regoin: unknown setting (known here: access-key, access-key-id, bucket-key,"
                                                + " connect-timeout, endpoint, integrity, max-attempts, multipart-threshold, part-size,"
                                                + " path-style, profile, region, sdk-checksums, secret-access-key, secret-key,"
                                                + " server-side-encryption, session-token, socket-timeout, sse-kms-key-id)",
                                        "repository.s3.part-size: must be between 5MiB and 5GiB, was 1048576 bytes"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void brokenYamlAndMissingFilesAreReportedPlainly() {
        assertThatThrownBy(() -> ConfigLoader.parse("repository: [unclosed", "broken.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken.yaml: 1 problem:")
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/vigil.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/nonexistent/vigil.yaml: 1 problem:\n  - file not found");
        assertThatThrownBy(() -> ConfigLoader.parse("work-dir: /w\n", "no-repo.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems()).containsExactly("repository: is required"));
        assertThatThrownBy(() -> ConfigLoader.parse("repository:\n  url: ftp://x/y\nwork-dir: /w\n", "ftp.yaml"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly("repository.url: 'ftp://x/y': the scheme must be file:// or s3://"));
    }
}
