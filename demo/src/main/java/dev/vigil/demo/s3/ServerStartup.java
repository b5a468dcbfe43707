package dev.vigil.demo.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting an S3 server in a child process: a free port for it, and waiting until it answers HTTP, with the end of its
 * log in the message when it exits or stays silent. Shared by the embedded servers (S3Mock, S3Proxy) and the test
 * servers that run the same way (moto).
 */
public final class ServerStartup {

    private ServerStartup() {}

    /** A loopback port nobody listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until {@code endpoint} answers any HTTP request. When {@code process} exits first, the time runs out or the
     * thread is interrupted, {@code stop} runs and the failure names {@code name}, the endpoint and the log's tail.
     */
    public static void awaitAnswer(
            String name, Process process, URI endpoint, Path log, Duration timeout, Runnable stop) throws IOException {
        // A monotonic deadline: how long the server takes, not what the wall clock says meanwhile.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " during startup; its log " + log + " ends with:\n" + tail(log));
            }
            try {
                HttpURLConnection connection =
                        (HttpURLConnection) endpoint.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                connection.getResponseCode();
                connection.disconnect();
                return;
            } catch (IOException notYet) {
                try {
                    process.waitFor(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.run();
                    throw new IllegalStateException("interrupted while starting " + name, e);
                }
            }
        }
        stop.run();
        throw new IllegalStateException(
                name + " did not answer on " + endpoint + " within " + timeout + "; its log ends with:\n" + tail(log));
    }

    /** Stops a server's process: asks, waits up to 10 s, then kills it; keeps the thread's interrupt. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
