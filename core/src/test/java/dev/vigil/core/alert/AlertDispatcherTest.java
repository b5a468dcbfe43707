package dev.vigil.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts as incidents: one firing and one resolved notification per condition, however often it is raised. */
class AlertDispatcherTest {

    private static final PartitionId P1 = PartitionId.of("p-1");
    private static final ReplicaId NODE_A = ReplicaId.of("node-a");
    private static final Duration WINDOW = Duration.ofMinutes(30);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final Recording sink = new Recording();

    private Alert lag(long lastLsn) {
        return Alert.of(AlertType.ARCHIVE_LAG, clock.instant())
                .partition(P1)
                .replica(NODE_A)
                .lsnRange(new LsnRange(1, lastLsn))
                .message("LSNs up to " + lastLsn + " wait")
                .action("check the store")
                .build();
    }

    @Test
    void aConditionRaisedEveryTenSecondsForTenMinutesIsOneFiringAndOneResolvedNotification() throws Exception {
        try (AlertDispatcher dispatcher = new AlertDispatcher("test", List.of(sink), clock, Duration.ofHours(1))) {
            for (int pass = 0; pass < 60; pass++) {
                dispatcher.raise(lag(100 + pass)); // the range grows with the outage; the incident does not
                clock.advance(Duration.ofSeconds(10));
            }
            dispatcher.resolve(AlertResolution.of(AlertType.ARCHIVE_LAG, P1, NODE_A, clock.instant(), "caught up"));
            dispatcher.resolve(AlertResolution.of(AlertType.ARCHIVE_LAG, P1, NODE_A, clock.instant(), "caught up"));
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(sink.received).hasSize(2);
            Alert firing = sink.received.getFirst();
            Alert resolved = sink.received.getLast();
            assertThat(firing.status()).isEqualTo(AlertStatus.FIRING);
            assertThat(firing.message()).isEqualTo("LSNs up to 100 wait");
            assertThat(firing.startsAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
            assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.key()).isEqualTo(firing.key()).isEqualTo("ARCHIVE_LAG|p-1|node-a");
            assertThat(resolved.startsAt()).isEqualTo(firing.startsAt());
            assertThat(resolved.endsAt()).contains(Instant.parse("2026-12-06T10:10:00Z"));
            assertThat(resolved.message()).isEqualTo("resolved: caught up");
            assertThat(resolved.details()).containsEntry("incident", "LSNs up to 159 wait");
            assertThat(dispatcher.suppressed()).isEqualTo(59);
            assertThat(dispatcher.openIncidents()).isEmpty();
        }
    }

    @Test
    void anOpenIncidentIsUpdatedAtMostOncePerWindowWithTheFiguresOfTheMoment() throws Exception {
        try (AlertDispatcher dispatcher = new AlertDispatcher("test", List.of(sink), clock, WINDOW)) {
            dispatcher.raise(lag(10));
            clock.advance(Duration.ofMinutes(29));
            dispatcher.raise(lag(20));
            clock.advance(Duration.ofMinutes(2));
            dispatcher.raise(lag(30));
            clock.advance(Duration.ofMinutes(1));
            dispatcher.raise(lag(40));
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(sink.received)
                    .extracting(Alert::message)
                    .containsExactly("LSNs up to 10 wait", "LSNs up to 30 wait");
            Alert update = sink.received.getLast();
            assertThat(update.status()).isEqualTo(AlertStatus.FIRING);
            assertThat(update.startsAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
            assertThat(update.time()).isEqualTo(Instant.parse("2026-12-06T10:31:00Z"));
            assertThat(dispatcher.incident("ARCHIVE_LAG|p-1|node-a"))
                    .map(Alert::message)
                    .contains("LSNs up to 40 wait");
        }
    }

    @Test
    void aConditionThatComesBackAfterItsResolutionIsANewIncident() throws Exception {
        try (AlertDispatcher dispatcher = new AlertDispatcher("test", List.of(sink), clock, WINDOW)) {
            dispatcher.raise(lag(10));
            clock.advance(Duration.ofMinutes(1));
            dispatcher.resolve(AlertResolution.of(AlertType.ARCHIVE_LAG, P1, clock.instant(), "caught up"));
            clock.advance(Duration.ofMinutes(1));
            dispatcher.raise(lag(20));
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(sink.received)
                    .extracting(Alert::status)
                    .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED, AlertStatus.FIRING);
            assertThat(sink.received.getLast().startsAt()).isEqualTo(Instant.parse("2026-12-06T10:02:00Z"));
        }
    }

    @Test
    void aResolutionEndsOnlyTheIncidentsInItsScopeAndNotThoseStillHolding() throws Exception {
        try (AlertDispatcher dispatcher = new AlertDispatcher("test", List.of(sink), clock, WINDOW)) {
            dispatcher.raise(gap(P1, new LsnRange(10, 19)));
            dispatcher.raise(gap(P1, new LsnRange(40, 49)));
            dispatcher.raise(gap(PartitionId.of("p-2"), new LsnRange(10, 19)));
            dispatcher.raise(lag(5));
            dispatcher.resolve(AlertResolution.of(AlertType.ARCHIVE_GAP, P1, clock.instant(), "filled")
                    .except(Set.of("ARCHIVE_GAP|p-1|[40..49]")));
            // An incident that is not open is not resolved (nothing is sent).
            dispatcher.resolve(AlertResolution.of(AlertType.NO_MAJORITY, P1, clock.instant(), "clean"));
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(sink.received.stream()
                            .filter(a -> a.status() == AlertStatus.RESOLVED)
                            .map(Alert::key))
                    .containsExactly("ARCHIVE_GAP|p-1|[10..19]");
            assertThat(dispatcher.openIncidents())
                    .extracting(Alert::key)
                    .containsExactlyInAnyOrder(
                            "ARCHIVE_GAP|p-1|[40..49]", "ARCHIVE_GAP|p-2|[10..19]", "ARCHIVE_LAG|p-1|node-a");
        }
    }

    private Alert gap(PartitionId partition, LsnRange missing) {
        return Alert.of(AlertType.ARCHIVE_GAP, clock.instant())
                .partition(partition)
                .lsnRange(missing)
                .key(AlertType.ARCHIVE_GAP + "|" + partition + "|" + missing)
                .message("missing " + missing)
                .action("find them")
                .build();
    }

    @Test
    void anEventIsSentOncePerKeyWithinTheWindowAndNeverKeptOpen() throws Exception {
        try (AlertDispatcher dispatcher = new AlertDispatcher("test", List.of(sink), clock, WINDOW)) {
            Alert divergence = Alert.of(AlertType.WAL_DIVERGENCE, clock.instant())
                    .partition(P1)
                    .key("WAL_DIVERGENCE|x")
                    .message("copies differ")
                    .action("compare them")
                    .build();
            dispatcher.raise(divergence);
            clock.advance(Duration.ofMinutes(10));
            dispatcher.raise(divergence);
            clock.advance(Duration.ofMinutes(21));
            dispatcher.raise(divergence);
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(sink.received)
                    .hasSize(2)
                    .allSatisfy(a -> assertThat(a.status()).isEqualTo(AlertStatus.FIRING));
            assertThat(dispatcher.openIncidents()).isEmpty();
        }
    }

    @Test
    void aRestartedProcessUpdatesTheIncidentsItHadOpenInsteadOfPagingThemAgainAndResolvesThem() throws Exception {
        Path file = dir.resolve("state/open-incidents.json");
        try (AlertDispatcher before =
                new AlertDispatcher("before", List.of(sink), clock, WINDOW, OpenIncidents.file(file))) {
            before.raise(lag(10));
            assertThat(before.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(file).exists();
        clock.advance(Duration.ofMinutes(5));
        Recording after = new Recording();
        try (AlertDispatcher restarted =
                new AlertDispatcher("after", List.of(after), clock, WINDOW, OpenIncidents.file(file))) {
            restarted.raise(lag(20)); // still lagging after the restart: within the window, not paged again
            clock.advance(Duration.ofMinutes(1));
            restarted.resolve(AlertResolution.of(AlertType.ARCHIVE_LAG, P1, NODE_A, clock.instant(), "caught up"));
            assertThat(restarted.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(after.received).hasSize(1);
        Alert resolved = after.received.getFirst();
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.startsAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(resolved.details()).containsEntry("incident", "LSNs up to 20 wait");
        try (AlertDispatcher third = new AlertDispatcher("third", List.of(), clock, WINDOW, OpenIncidents.file(file))) {
            assertThat(third.openIncidents()).isEmpty();
        }
    }

    @Test
    void aDamagedIncidentsFileStartsEmptyInsteadOfFailingTheProcess() throws Exception {
        Path file = dir.resolve("open-incidents.json");
        Files.writeString(file, "{\"version\":1,\"incidents\":[{\"type\":\"ARCH");
        try (AlertDispatcher dispatcher =
                new AlertDispatcher("damaged", List.of(sink), clock, WINDOW, OpenIncidents.file(file))) {
            assertThat(dispatcher.openIncidents()).isEmpty();
            dispatcher.raise(lag(10));
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(sink.received).hasSize(1);
        assertThat(Files.readString(file)).contains("ARCHIVE_LAG|p-1|node-a");
    }

    @Test
    void openIncidentsAreHandedToTheSinksAgainEveryRefreshInterval() throws Exception {
        try (AlertDispatcher dispatcher = new AlertDispatcher(
                "refresh", List.of(sink), clock, WINDOW, 10, OpenIncidents.inMemory(), Duration.ofMinutes(1))) {
            dispatcher.raise(lag(10));
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofMinutes(2));
            awaitRefresh();
            assertThat(sink.refreshed.getFirst()).extracting(Alert::key).containsExactly("ARCHIVE_LAG|p-1|node-a");
        }
    }

    private void awaitRefresh() throws InterruptedException {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (sink.refreshed.isEmpty()) {
                Thread.sleep(10); // the delivery thread refreshes on its next poll (every 100 ms)
            }
        });
    }

    @Test
    void closingGivesAHangingSinkOnlyTheBudgetItIsGiven() {
        CountDownLatch never = new CountDownLatch(1);
        AlertSink hanging = new AlertSink() {
            @Override
            public void publish(Alert alert) throws IOException {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }

            @Override
            public String describe() {
                return "hanging";
            }
        };
        AlertDispatcher dispatcher = new AlertDispatcher("hang", List.of(hanging), clock, WINDOW);
        dispatcher.raise(lag(10));
        dispatcher.raise(gap(P1, new LsnRange(1, 2)));
        dispatcher.closeWithin(Duration.ofMillis(300));
        // Without the budget, close would wait its 30 s default for the hanging sink.
        assertTimeoutPreemptively(Duration.ofSeconds(10), dispatcher::close);
        assertThat(dispatcher.pending()).isPositive();
    }

    /** Records notifications and refreshes. */
    @Test
    void raiseDeliveredSaysWhetherEverySinkTookItAndAnUndeliveredIncidentIsSentAgainWhenRaisedSo() throws Exception {
        FailingFirst flaky = new FailingFirst(1);
        try (AlertDispatcher dispatcher = new AlertDispatcher("test", List.of(sink, flaky), clock, WINDOW)) {
            // The flaky sink refuses the first notification: not delivered.
            assertThat(dispatcher.raiseDelivered(lag(10)).get(10, TimeUnit.SECONDS))
                    .isFalse();
            // Raised again within the repeat window: sent again, because it never reached every sink.
            assertThat(dispatcher.raiseDelivered(lag(11)).get(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(flaky.received).extracting(Alert::message).containsExactly("LSNs up to 11 wait");
            // Now delivered: an update within the window is not sent, and counts as delivered at once.
            assertThat(dispatcher.raiseDelivered(lag(12))).isCompletedWithValue(true);
            // A plain raise of an undelivered incident keeps to the window (no retry storm from every pass).
            assertThat(sink.received).hasSize(2);
        }
    }

    @Test
    void anAlertStillQueuedWhenTheDispatcherClosesIsReportedUndelivered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AlertSink stuck = new AlertSink() {
            @Override
            public void publish(Alert alert) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }

            @Override
            public String describe() {
                return "stuck";
            }
        };
        AlertDispatcher dispatcher = new AlertDispatcher("test", List.of(stuck), clock, WINDOW);
        var first = dispatcher.raiseDelivered(lag(1));
        var second = dispatcher.raiseDelivered(Alert.of(AlertType.REPLICA_DIVERGED, clock.instant())
                .partition(P1)
                .replica(NODE_A)
                .message("diverged")
                .action("look")
                .build());
        dispatcher.closeWithin(Duration.ofMillis(200));
        assertTimeoutPreemptively(Duration.ofSeconds(30), dispatcher::close);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isFalse(); // interrupted mid-delivery
        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse(); // never left the queue
    }

    /** A sink that fails its first {@code failures} notifications. */
    private static final class FailingFirst implements AlertSink {
        final List<Alert> received = new CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger failuresLeft;

        FailingFirst(int failures) {
            this.failuresLeft = new java.util.concurrent.atomic.AtomicInteger(failures);
        }

        @Override
        public void publish(Alert alert) throws IOException {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IOException("receiver down");
            }
            received.add(alert);
        }

        @Override
        public String describe() {
            return "flaky";
        }
    }

    private static final class Recording implements AlertSink {
        final List<Alert> received = new CopyOnWriteArrayList<>();
        final List<List<Alert>> refreshed = new CopyOnWriteArrayList<>();

        @Override
        public void publish(Alert alert) {
            received.add(alert);
        }

        @Override
        public void refresh(List<Alert> open) {
            refreshed.add(List.copyOf(open));
        }

        @Override
        public String describe() {
            return "recording";
        }
    }

    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
