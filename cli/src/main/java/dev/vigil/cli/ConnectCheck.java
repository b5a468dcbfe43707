package dev.vigil.cli;

import dev.vigil.cli.config.Repositories;
import dev.vigil.core.Errors;
import dev.vigil.core.Urls;
import dev.vigil.core.config.AlertSinkConfig;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.DirectoryLock;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.StoreProbe;
import dev.vigil.fleet.FleetDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code check-config --connect} proves beyond the repository, one section at a time, each named with what was
 * proven or why it failed: the work directory (writable, and who holds it), the fleet database (with the configured
 * user and the password from the environment, as a worker connects), and each alert receiver (it answers; no alert
 * is sent, so nobody is paged by a check). Every URL is shown masked. Stateless.
 */
final class ConnectCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ConnectCheck() {}

    /** One section's result: {@code section} names it ("fleet", "alerts[0]"), {@code text} says what was found. */
    record Outcome(String section, boolean ok, String text) {}

    /**
     * The work directory can be written (or, when it does not exist yet, created: it is not created here, a check
     * creates nothing), and whether a process holds it now.
     */
    static Outcome workDir(Path workDir, Instant now) {
        if (!Files.isDirectory(workDir)) {
            Path existing = workDir.toAbsolutePath().getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing != null && Files.isDirectory(existing) && Files.isWritable(existing)
                    ? new Outcome("work-dir", true, workDir + " does not exist yet; it is created at the first start")
                    : new Outcome(
                            "work-dir",
                            false,
                            workDir + " does not exist and cannot be created by this user: fix work-dir or create it");
        }
        try {
            Path probe = Files.createTempFile(workDir, ".check-config-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            return new Outcome(
                    "work-dir",
                    false,
                    workDir + " cannot be written (" + Errors.message(e) + "): fix work-dir or its permissions");
        }
        Optional<String> holder = Optional.empty();
        try (DirectoryLock free = DirectoryLock.acquire(workDir, "work directory", "vigil check-config", now)) {
            LOG.debug("work directory {} is free ({})", workDir, free.file());
        } catch (DirectoryLock.HeldException e) {
            holder = Optional.of(readHolder(workDir.resolve(DirectoryLock.FILE_NAME)));
        } catch (IOException e) {
            return new Outcome("work-dir", false, workDir + " cannot be locked (" + Errors.message(e) + ")");
        }
        return new Outcome(
                "work-dir",
                true,
                workDir + " can be written"
                        + holder.map(h -> "; in use now by " + h).orElse("; no Vigil process uses it now"));
    }

    private static String readHolder(Path lock) {
        try {
            return Files.readString(lock, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "another process";
        }
    }

    /**
     * The log's witness ({@code audit.witness}) takes, returns and deletes a probe object, as the repository does; a
     * local witness that does not exist is not created (a mistyped path must not look right).
     */
    static Outcome witness(VigilConfig config, RepositoryLocation location) {
        if (location instanceof RepositoryLocation.Local local && !Files.isDirectory(local.root())) {
            return new Outcome(
                    "witness",
                    false,
                    local.root() + " does not exist: create it (mkdir -p " + local.root() + ") or fix"
                            + " audit.witness.url");
        }
        try (Repositories.Witness witness = Repositories.witness(config, Clock.systemUTC())) {
            ObjectStore store = witness.store().orElseThrow();
            StoreProbe.Result probe = new StoreProbe(store, Clock.systemUTC(), new SplittableRandom()).run();
            return new Outcome(
                    "witness",
                    true,
                    store.describe() + ": a probe object written only if absent, read back and deleted in "
                            + probe.elapsed().toMillis() + " ms; checkpoints are copied there");
        } catch (IOException e) {
            return new Outcome(
                    "witness",
                    false,
                    "audit.witness cannot be written (" + Errors.message(e) + "): checkpoints would fail; fix its url,"
                            + " credentials or permissions");
        }
    }

    /** The fleet database accepts the configured user with the password from {@code environment}. */
    static Outcome fleetDatabase(FleetConfig fleet, Map<String, String> environment) {
        String shown = Urls.forDisplay(fleet.jdbcUrl());
        try (Connection connection =
                        FleetDatabase.unpooled(fleet, environment, TIMEOUT).getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select current_user, version()")) {
            result.next();
            return new Outcome(
                    "fleet",
                    true,
                    "database " + shown + " answers as user " + result.getString(1) + " ("
                            + result.getString(2).split(" on ", 2)[0] + ")");
        } catch (SQLException | RuntimeException e) {
            return new Outcome(
                    "fleet",
                    false,
                    "database " + shown + " did not accept this worker: " + Errors.messageWithCauses(e)
                            + "; check fleet.jdbc-url and fleet.user, the password (VIGIL_FLEET_PASSWORD, PGPASSWORD"
                            + " or ~/.pgpass) and that PostgreSQL runs");
        }
    }

    /** An alert sink's receiver answers (log: always; jsonl: its directory can be written). */
    static Outcome alertSink(AlertSinkConfig sink) {
        return switch (sink) {
            case AlertSinkConfig.Log log -> new Outcome("alerts", true, "log: written to this process's log");
            case AlertSinkConfig.JsonLines jsonl -> jsonLines(jsonl.path());
            case AlertSinkConfig.Webhook webhook -> webhook(webhook.url());
            case AlertSinkConfig.Alertmanager manager -> alertmanager(manager.url());
        };
    }

    private static Outcome jsonLines(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            return new Outcome("alerts", false, "jsonl " + file + ": has no directory");
        }
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean writable = existing != null && Files.isDirectory(existing) && Files.isWritable(existing);
        return writable
                ? new Outcome("alerts", true, "jsonl " + file + ": its directory can be written")
                : new Outcome(
                        "alerts",
                        false,
                        "jsonl " + file + ": " + parent + " cannot be created or written by this user");
    }

    /** Any HTTP answer proves the receiver is there; nothing is posted (a check must page nobody). */
    private static Outcome webhook(URI url) {
        String shown = Urls.forDisplay(url);
        try {
            int status = get(url);
            return new Outcome(
                    "alerts", true, "webhook " + shown + " answers (HTTP " + status + " to a GET; no alert was sent)");
        } catch (IOException e) {
            return new Outcome("alerts", false, "webhook " + shown + " does not answer: " + Errors.message(e));
        }
    }

    private static Outcome alertmanager(URI base) {
        String text = base.toString();
        URI status = URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/api/v2/status");
        String shown = Urls.forDisplay(base);
        try {
            int code = get(status);
            return code == 200
                    ? new Outcome("alerts", true, "alertmanager " + shown + " answers its v2 API (status 200)")
                    : new Outcome(
                            "alerts",
                            false,
                            "alertmanager " + shown + " answered HTTP " + code + " to GET /api/v2/status: is it an"
                                    + " Alertmanager (0.16 or later), at its base URL?");
        } catch (IOException e) {
            return new Outcome("alerts", false, "alertmanager " + shown + " does not answer: " + Errors.message(e));
        }
    }

    private static int get(URI url) throws IOException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
