package dev.vigil.archiver;

import static dev.vigil.archiver.ArchiverFixture.archiver;
import static dev.vigil.archiver.ArchiverFixture.keys;
import static dev.vigil.archiver.ArchiverFixture.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertDispatcher;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertSink;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.S3Settings;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.fault.FaultProxy;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The archiver against a real S3 server (S3Proxy: it checks signatures, so the credentials test is real),
 * with faults injected by a proxy between the SDK and the server.
 */
@UsingS3(S3ServerKind.S3PROXY)
class ArchiverOnS3Test {

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final RecordingAlerts alerts = new RecordingAlerts();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private S3Endpoint endpoint;
    private ReplicationGroup group;

    @BeforeEach
    void setUp(S3Endpoint endpoint) throws Exception {
        this.endpoint = endpoint;
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .recordsPerSegment(200)
                .valueSize(400)
                .build();
        closing.add(group);
        group.write(2_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : closing.reversed()) {
            closeable.close();
        }
    }

    private ObjectStore storeThrough(FaultProxy proxy, int maxAttempts) {
        S3Settings direct = endpoint.settings("vigil");
        S3Settings settings = new S3Settings(
                direct.bucket(),
                direct.prefix(),
                Optional.of(proxy.endpoint()),
                direct.region(),
                true,
                direct.profile(),
                direct.integrity(),
                direct.sdkChecksums(),
                direct.multipartThreshold(),
                direct.partSize(),
                maxAttempts,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                S3ServerSideEncryption.NONE);
        return endpoint.openStore(settings);
    }

    private FaultProxy proxy() throws Exception {
        FaultProxy proxy = FaultProxy.start(endpoint.endpoint());
        closing.add(proxy);
        return proxy;
    }

    private Archiver archiverFor(SimulatedReplica replica, ObjectStore store, ArchiveConfig settings) {
        Archiver archiver = archiver(replica, store, alerts, clock, settings);
        closing.add(archiver);
        return archiver;
    }

    private void assertEverythingArchivedOnceAndIntact(ObjectStore store) throws Exception {
        List<String> archived = keys(store, RepositoryLayout.walPrefix(group.partition()));
        assertThat(archived).hasSize(10);
        for (SealedSegment segment : group.replica("r1").sealedSegments()) {
            String key =
                    RepositoryLayout.walKey(group.partition(), segment.summary().lsnRange());
            assertThat(read(store, key)).isEqualTo(Files.readAllBytes(segment.path()));
        }
        assertThat(keys(store, "conflicts/")).isEmpty();
    }

    @Test
    void threeReplicasArchiveConcurrentlyToS3AndEverySegmentIsStoredOnce() throws Exception {
        ObjectStore store = endpoint.openStore("vigil");
        List<Thread> threads = new ArrayList<>();
        List<ArchiveReport> reports = Collections.synchronizedList(new ArrayList<>());
        for (SimulatedReplica replica : group.replicas()) {
            Archiver archiver = archiverFor(replica, store, ArchiveConfig.defaults());
            threads.add(Thread.ofPlatform().name("test-" + replica.id()).start(() -> {
                try {
                    reports.add(archiver.runPass());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(120_000);
        }

        assertThat(reports)
                .hasSize(3)
                .allSatisfy(r ->
                        assertThat(r.hasErrors() || r.hasFindings()).as("%s", r).isFalse());
        assertThat(reports.stream().mapToInt(ArchiveReport::uploaded).sum()).isEqualTo(10);
        assertEverythingArchivedOnceAndIntact(store);
        for (SimulatedReplica replica : group.replicas()) {
            assertThat(ArchivedLsnFile.read(replica.walDir())).isEqualTo(OptionalLong.of(2_000));
        }
        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void aDivergentReplicaRacingItsPeersIsReportedWhoeverWins() throws Exception {
        try (ReplicationGroup diverging = ReplicationGroup.builder(dir.resolve("diverging"), Clock.systemUTC())
                .partition("p-0002")
                .recordsPerSegment(200)
                .build()) {
            diverging.diverge("r2", 333, Divergence.ALTER_IN_WAL);
            diverging.write(600);
            ObjectStore store = endpoint.openStore("vigil");
            List<Thread> threads = new ArrayList<>();
            for (SimulatedReplica replica : diverging.replicas()) {
                Archiver archiver = archiverFor(replica, store, ArchiveConfig.defaults());
                threads.add(Thread.ofPlatform().name("race-" + replica.id()).start(() -> {
                    try {
                        archiver.runPass();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(120_000);
            }

            String key = RepositoryLayout.walKey(diverging.partition(), new LsnRange(201, 400));
            byte[] archived = read(store, key);
            byte[] good = Files.readAllBytes(
                    diverging.replica("r1").sealedSegments().get(1).path());
            byte[] bad = Files.readAllBytes(
                    diverging.replica("r2").sealedSegments().get(1).path());
            assertThat(archived).isIn(good, bad);
            List<String> conflicts = keys(store, "conflicts/");
            List<Alert> divergence = alerts.ofType(AlertType.WAL_DIVERGENCE);
            if (Arrays.equals(archived, good)) {
                // r1 or r3 won: r2 is the one that differs.
                assertThat(conflicts)
                        .containsExactly("conflicts/p-0002/00000000000000000201-00000000000000000400/r2.seg");
                assertThat(divergence)
                        .singleElement()
                        .satisfies(a -> assertThat(a.replica())
                                .contains(diverging.replica("r2").id()));
            } else {
                // r2 won the race: both healthy replicas report that the archived copy differs from theirs.
                assertThat(conflicts)
                        .containsExactlyInAnyOrder(
                                "conflicts/p-0002/00000000000000000201-00000000000000000400/r1.seg",
                                "conflicts/p-0002/00000000000000000201-00000000000000000400/r3.seg");
                assertThat(divergence)
                        .hasSize(2)
                        .allSatisfy(a -> assertThat(a.message()).contains("written by replica r2"));
            }
            assertThat(keys(store, RepositoryLayout.walPrefix(diverging.partition())))
                    .hasSize(3);
        }
    }

    @Test
    void serverErrorsAreRetriedAndNothingIsLostOrDuplicated() throws Exception {
        FaultProxy proxy = proxy().failNext(6, 500, "InternalError", FaultProxy.Request::isDataPut);
        ObjectStore store = storeThrough(proxy, 4);

        ArchiveReport report = archiverFor(group.replica("r1"), store, ArchiveConfig.defaults())
                .runPass();

        assertThat(proxy.injected()).isEqualTo(6);
        assertThat(report.hasErrors()).as("%s", report).isFalse();
        assertThat(report.uploaded()).isEqualTo(10);
        assertEverythingArchivedOnceAndIntact(endpoint.openStore("vigil"));
    }

    @Test
    void aPutWhoseAnswerEchoesItsChecksumIsConfirmedWithoutAHead() throws Exception {
        FaultProxy proxy = proxy();
        ObjectStore store = storeThrough(proxy, 4);

        ArchiveReport report = archiverFor(group.replica("r1"), store, ArchiveConfig.defaults())
                .runPass();

        assertThat(report.uploaded()).isEqualTo(10);
        // S3Proxy echoes the x-amz-checksum-crc32c of a PUT: the service validated the bytes, no HEAD is needed.
        assertThat(proxy.requests()).filteredOn(FaultProxy.Request::isDataPut).hasSize(10);
        assertThat(proxy.requests()).noneMatch(r -> r.method().equals("HEAD"));
        assertEverythingArchivedOnceAndIntact(endpoint.openStore("vigil"));
    }

    @Test
    void connectionResetsAndTruncatedAnswersAreSurvived() throws Exception {
        // A truncated PUT answer: the put may have been stored; its retry finds the key taken and compares by HEAD.
        FaultProxy proxy = proxy().resetNext(3, FaultProxy.Request::isDataPut)
                .truncateNext(2, 20, FaultProxy.Request::isDataPut)
                .truncateNext(1, 30, r -> r.method().equals("GET") && !r.isProbe());
        ObjectStore store = storeThrough(proxy, 5);

        ArchiveReport report = archiverFor(group.replica("r1"), store, ArchiveConfig.defaults())
                .runPass();

        assertThat(proxy.injected()).isEqualTo(6);
        assertThat(report.hasErrors()).as("%s", report).isFalse();
        assertEverythingArchivedOnceAndIntact(endpoint.openStore("vigil"));
    }

    @Test
    void throttlingLowersTheUploadConcurrencyAndArchivingCompletesLater() throws Exception {
        FaultProxy proxy = proxy().failNext(40, 503, "SlowDown", FaultProxy.Request::isDataPut);
        ObjectStore store = storeThrough(proxy, 1);
        ArchiveConfig settings = new ArchiveConfig(
                4,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ZERO,
                Duration.ZERO,
                Duration.ofHours(1),
                Duration.ZERO);
        Archiver archiver = archiverFor(group.replica("r1"), store, settings);

        ArchiveReport throttled = archiver.runPass();

        assertThat(throttled.hasErrors()).isTrue();
        assertThat(throttled.partitions().getFirst().failed()).isPositive();
        assertThat(archiver.uploadLimit())
                .as("AIMD halves the limit on SlowDown")
                .isLessThan(4);
        int passes = 1;
        ArchiveReport last = throttled;
        while (last.partitions().getFirst().archivedLsn() < 2_000 && passes < 50) {
            last = archiver.runPass();
            passes++;
        }
        assertThat(last.partitions().getFirst().archivedLsn()).isEqualTo(2_000);
        assertThat(proxy.injected()).isEqualTo(40);
        assertEverythingArchivedOnceAndIntact(endpoint.openStore("vigil"));
        assertThat(alerts.ofType(AlertType.STORE_UNAVAILABLE)).isEmpty();
    }

    @Test
    void anIdlePassSendsNoRequestToTheRepository() throws Exception {
        FaultProxy proxy = proxy();
        Archiver archiver = archiverFor(group.replica("r1"), storeThrough(proxy, 3), ArchiveConfig.defaults());
        archiver.runPass();
        int afterFirst = proxy.requests().size();

        ArchiveReport idle = archiver.runPass();

        assertThat(idle.hasErrors()).isFalse();
        assertThat(proxy.requests())
                .as("nothing new: the WAL directory is read, the repository is not")
                .hasSize(afterFirst);
        group.write(200);
        assertThat(archiver.runPass().uploaded()).isEqualTo(1);
        assertThat(proxy.requests().size()).isGreaterThan(afterFirst);
    }

    @Test
    void wrongCredentialsAreReportedOnceAndNotRetriedInSilence() throws Exception {
        ObjectStore wrong = S3Stores.open(
                endpoint.settings("vigil"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("vigil-test", "not-the-secret")),
                Clock.systemUTC());
        closing.add(wrong);
        try (AlertDispatcher dispatcher =
                new AlertDispatcher("test", List.of(sink(alerts)), clock, Duration.ofHours(1))) {
            Archiver archiver = new Archiver(
                    new Repository(wrong),
                    new NodeConfig(
                            group.replica("r1").id(),
                            List.of(group.replica("r1").root())),
                    ArchiveConfig.defaults(),
                    dispatcher,
                    new SimpleMeterRegistry(),
                    clock,
                    new SplittableRandom(1));
            closing.add(archiver);

            ArchiveReport first = archiver.runPass();
            ArchiveReport second = archiver.runPass();
            assertThat(dispatcher.flush(Duration.ofSeconds(30))).isTrue();

            assertThat(first.hasErrors()).isTrue();
            assertThat(second.hasErrors()).isTrue();
            assertThat(first.errors()).anySatisfy(e -> assertThat(e).contains("HTTP 403", "check the credentials"));
            assertThat(alerts.ofType(AlertType.STORE_UNAVAILABLE))
                    .as("reported once, not on every pass")
                    .hasSize(1);
            assertThat(alerts.ofType(AlertType.STORE_UNAVAILABLE).getFirst().message())
                    .contains("refuses Vigil", "HTTP 403")
                    .doesNotContain("not-the-secret");
            assertThat(ArchivedLsnFile.read(group.replica("r1").walDir())).isEmpty();
        }
    }

    @Test
    void staleMultipartUploadsLeftByACrashAreAborted() throws Exception {
        String key = "vigil/partitions/p-0001/wal/crashed-upload";
        String uploadId = endpoint.client()
                .createMultipartUpload(b -> b.bucket(endpoint.bucket()).key(key))
                .uploadId();
        ObjectStore store = endpoint.openStore("vigil");
        ArchiveConfig settings = new ArchiveConfig(
                4,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ZERO,
                Duration.ZERO);

        archiverFor(group.replica("r1"), store, settings).runPass();

        assertThat(endpoint.client()
                        .listMultipartUploads(b -> b.bucket(endpoint.bucket()))
                        .uploads())
                .extracting(u -> u.uploadId())
                .doesNotContain(uploadId);
    }

    private static AlertSink sink(AlertPublisher publisher) {
        return new AlertSink() {
            @Override
            public void publish(Alert alert) {
                publisher.raise(alert);
            }

            @Override
            public String describe() {
                return "recording";
            }
        };
    }
}
