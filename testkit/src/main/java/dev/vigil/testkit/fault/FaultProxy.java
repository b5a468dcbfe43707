package dev.vigil.testkit.fault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 proxy between an S3 client and an S3 server that injects faults: error responses (500, 503
 * SlowDown), connection resets, delays and truncated responses, for chosen requests. It serves one request
 * per client connection (it tells both sides {@code Connection: close}) and answers
 * {@code Expect: 100-continue} itself; it does not change signed headers, so SigV4 still verifies. Faults
 * are consumed in the order they were added, by the first request each one matches. Thread safe.
 */
public final class FaultProxy implements AutoCloseable {

    /** The request line of an intercepted request. */
    public record Request(String method, String path) {
        public boolean isPut() {
            return method.equals("PUT");
        }

        /** A request of Vigil's probe of what the server guarantees (under {@code probes/}). */
        public boolean isProbe() {
            return path.contains("/probes/");
        }

        /** A PUT that is not part of the probe: what a test of Vigil's writes injects faults into and counts. */
        public boolean isDataPut() {
            return isPut() && !isProbe();
        }
    }

    private enum Kind {
        FAIL,
        RESET,
        TRUNCATE
    }

    private record Fault(
            Kind kind,
            Predicate<Request> matches,
            int status,
            @Nullable String code,
            @Nullable String message,
            int bytes) {}

    private final ServerSocket server;
    private final URI upstream;
    private final ExecutorService workers;
    private final Thread acceptor;
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<Request> seen = new ArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean down;
    private volatile boolean closed;

    private FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.workers = Executors.newCachedThreadPool(
                Thread.ofPlatform().name("vigil-fault-proxy-", 0).daemon().factory());
        this.acceptor =
                Thread.ofPlatform().name("vigil-fault-proxy-accept").daemon().start(this::acceptLoop);
    }

    /** Starts a proxy on a free loopback port in front of {@code upstream} ({@code http://host:port}). */
    private volatile List<String> droppedResponseHeaders = List.of();

    public static FaultProxy start(URI upstream) throws IOException {
        return new FaultProxy(upstream);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next {@code count} matching requests get an S3 error response instead of reaching the server. */
    public FaultProxy failNext(int count, int status, String code, Predicate<Request> which) {
        return failNext(count, status, code, "injected by FaultProxy", which);
    }

    /** As {@link #failNext(int, int, String, Predicate)}, with the error's message (what a server would say). */
    public FaultProxy failNext(int count, int status, String code, String message, Predicate<Request> which) {
        return add(count, new Fault(Kind.FAIL, which, status, code, message, 0));
    }

    /** The next {@code count} matching requests have their connection reset after the request was read. */
    public FaultProxy resetNext(int count, Predicate<Request> which) {
        return add(count, new Fault(Kind.RESET, which, 0, null, null, 0));
    }

    /** The next {@code count} matching requests reach the server, but the client gets only {@code bytes} of the answer. */
    public FaultProxy truncateNext(int count, int bytes, Predicate<Request> which) {
        return add(count, new Fault(Kind.TRUNCATE, which, 0, null, null, bytes));
    }

    /**
     * From now on, removes these headers (any case) from every response: a gateway that does not pass them on, or a
     * server that never sends them (one that ignores server-side encryption, say).
     */
    public FaultProxy dropResponseHeaders(String... names) {
        List<String> lower = new ArrayList<>();
        for (String name : names) {
            lower.add(name.toLowerCase(java.util.Locale.ROOT));
        }
        droppedResponseHeaders = List.copyOf(lower);
        return this;
    }

    /**
     * While {@code down}, every connection is reset as soon as it is accepted, before a byte is read: the store is
     * unreachable (an outage), whatever the request. Counted as requests seen, not as injected faults.
     */
    public FaultProxy down(boolean down) {
        this.down = down;
        return this;
    }

    /** Every request waits this long before it is handled (a slow store). */
    public FaultProxy delayEach(Duration value) {
        this.delay = value;
        return this;
    }

    /** Removes faults not yet consumed. */
    public synchronized FaultProxy clear() {
        faults.clear();
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(seen);
    }

    /** How many faults were injected so far. */
    public int injected() {
        return injected.get();
    }

    private synchronized FaultProxy add(int count, Fault fault) {
        for (int i = 0; i < count; i++) {
            faults.addLast(fault);
        }
        return this;
    }

    private synchronized @Nullable Fault take(Request request) {
        seen.add(request);
        for (var it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.matches().test(request)) {
                it.remove();
                injected.incrementAndGet();
                return fault;
            }
        }
        return null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                workers.execute(() -> handle(client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy: accept failed: " + e);
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            if (down) {
                client.setSoLinger(true, 0); // a reset, as from a host whose service is gone
                return;
            }
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            Head head = Head.read(in);
            if (head == null) {
                return;
            }
            if ("100-continue".equalsIgnoreCase(head.header("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = readBody(in, head);
            String[] requestLine = head.firstLine().split(" ", 3);
            Request request = new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "");
            if (!delay.isZero()) {
                Thread.sleep(delay);
            }
            Fault fault = take(request);
            if (fault != null && fault.kind() == Kind.FAIL) {
                writeError(out, request, fault);
                return;
            }
            if (fault != null && fault.kind() == Kind.RESET) {
                client.setSoLinger(true, 0);
                return;
            }
            forward(head, body, out, fault == null ? -1 : fault.bytes(), client);
        } catch (IOException e) {
            // The client went away, or we reset it: nothing to report.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(Head head, byte[] body, OutputStream out, int truncateAt, Socket client) throws IOException {
        try (Socket server = new Socket()) {
            server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5_000);
            OutputStream up = server.getOutputStream();
            up.write(head.rewritten(List.of("expect", "connection"), "Connection: close"));
            up.write(body);
            up.flush();
            InputStream down = server.getInputStream();
            Head response = Head.read(down);
            if (response == null) {
                client.setSoLinger(true, 0);
                return;
            }
            ByteArrayOutputStream relay = new ByteArrayOutputStream();
            List<String> dropped = new ArrayList<>(droppedResponseHeaders);
            dropped.add("connection");
            relay.write(response.rewritten(dropped, "Connection: close"));
            down.transferTo(relay);
            byte[] bytes = relay.toByteArray();
            if (truncateAt >= 0 && truncateAt < bytes.length) {
                out.write(bytes, 0, truncateAt);
                out.flush();
                client.setSoLinger(true, 0);
                return;
            }
            out.write(bytes);
            out.flush();
        }
    }

    private static void writeError(OutputStream out, Request request, Fault fault) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + fault.code() + "</Code><Message>"
                + fault.message() + "</Message><RequestId>fault-proxy</RequestId></Error>";
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        String reason = fault.status() == 503 ? "Slow Down" : fault.status() == 500 ? "Internal Server Error" : "Error";
        String head =
                "HTTP/1.1 " + fault.status() + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (!request.method().equals("HEAD")) {
            out.write(body);
        }
        out.flush();
    }

    private static byte[] readBody(InputStream in, Head head) throws IOException {
        String length = head.header("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.trim()));
        }
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in, raw);
                int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
                if (size == 0) {
                    while (!readLine(in, raw).isEmpty()) {
                        // trailers
                    }
                    return raw.toByteArray();
                }
                raw.write(in.readNBytes(size + 2));
            }
        }
        return new byte[0];
    }

    private static String readLine(InputStream in, ByteArrayOutputStream copy) throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        for (int b; (b = in.read()) >= 0; previous = b) {
            copy.write(b);
            if (previous == '\r' && b == '\n') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) b);
        }
        throw new IOException("connection closed inside a chunked body");
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        workers.shutdownNow();
        acceptor.interrupt();
    }

    /** An HTTP message head: first line and headers, kept as received. */
    private record Head(String firstLine, List<String> lines) {

        static @Nullable Head read(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b; (b = in.read()) >= 0; ) {
                bytes.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    String[] all = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
                    return new Head(all[0], List.of(all).subList(1, all.length));
                }
                if (bytes.size() > 64 * 1024) {
                    throw new IOException("HTTP head larger than 64 KiB");
                }
            }
            return null;
        }

        @Nullable
        String header(String name) {
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        byte[] rewritten(List<String> drop, String add) {
            StringBuilder out = new StringBuilder(firstLine).append("\r\n");
            for (String line : lines) {
                int colon = line.indexOf(':');
                String name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
                if (!drop.contains(name)) {
                    out.append(line).append("\r\n");
                }
            }
            out.append(add).append("\r\n\r\n");
            return out.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
